import "@mantine/notifications/styles.css";
import { Notifications } from "@mantine/notifications";

/** Where notifications show (Providers loads it lazily, with the first one). */
export default function NotificationsHost() {
  return <Notifications position="top-right" />;
}
