import { Card, Stack, Switch } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { FormError } from "@/components/FormError";
import { PageHeader } from "@/components/PageHeader";
import { QueryBoundary } from "@/components/QueryState";
import { useViewer } from "@/lib/auth";
import { type Preferences, usePreferences, useUpdatePreferences } from "./api";

export default function NotificationsPage() {
  const me = useViewer();
  const preferences = usePreferences();
  const update = useUpdatePreferences();
  const change = (name: keyof Preferences, value: boolean) =>
    update.mutate(
      { [name]: value },
      { onSuccess: () => notifications.show({ message: "Preferences saved", color: "green" }) },
    );
  return (
    <>
      <PageHeader title="Notifications" description="Which mails Milestone Tracker sends you." />
      <QueryBoundary query={preferences} loadingLabel="Loading your preferences…">
        {(data) => (
          <Card maw={640}>
            <Stack>
              <FormError error={update.error} />
              <Switch
                label="Milestone mails"
                description="A mail when a milestone of your companies is reached or reverted."
                checked={data.milestone_mail}
                disabled={update.isPending}
                onChange={(e) => change("milestone_mail", e.currentTarget.checked)}
              />
              <Switch
                label="Weekly digest"
                description={
                  me.role === "coach"
                    ? "Every week: your stalled companies, the reviews waiting for you and the milestones that changed."
                    : "A weekly summary, when there is one for your role."
                }
                checked={data.weekly_digest}
                disabled={update.isPending}
                onChange={(e) => change("weekly_digest", e.currentTarget.checked)}
              />
            </Stack>
          </Card>
        )}
      </QueryBoundary>
    </>
  );
}
