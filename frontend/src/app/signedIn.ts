// The signed-in part of the app, one chunk loaded after the entry (the router imports it
// lazily): the session gate, the shell with its navigation, the start page. With it come
// the whole Mantine stylesheet and the components only the shell uses (AppShell, Menu and
// its floating positioning), none of which the sign-in page needs.
import "@/components/styles/full";

export { Home } from "./Home";
export { AppLayout } from "./Layout";
export { NotFound } from "./NotFound";
export { RequireAbility, RequireAuth } from "./RequireAuth";
