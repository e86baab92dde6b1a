import {
  Button,
  Card,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { StatusBadge } from "@/components/Badges";
import { DecisionButtons } from "@/components/DecisionButtons";
import { FormError } from "@/components/FormError";
import { PagedList } from "@/components/PagedList";
import { EmptyState } from "@/components/QueryState";
import { useRejectFlow } from "@/components/RejectFlow";
import { RelativeTime } from "@/components/RelativeTime";
import { mayOn } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";
import { errorMessage } from "@/lib/errors";
import { useMilestones } from "@/lib/milestones";
import { useTasks } from "@/lib/tasks";
import type { MilestoneKey, Update, UpdateStatus } from "@/lib/types";
import { useCreateUpdate, useReviewUpdate, useUpdates } from "./api";

function PostUpdateForm({ companyId, milestone }: { companyId: number; milestone: MilestoneKey }) {
  const { title: milestoneTitle } = useMilestones();
  const create = useCreateUpdate(companyId);
  const tasks = useTasks(companyId, { milestone, page_size: 100 });
  const form = useForm({
    initialValues: { body: "", task: null as string | null },
    validate: { body: (v) => (v.trim() ? null : "Write what happened") },
  });
  const taskOptions = (tasks.data?.items ?? [])
    .filter((t) => t.status === "open" || t.status === "submitted")
    .map((t) => ({ value: String(t.id), label: t.title }));
  return (
    <form
      noValidate
      aria-label="Post a progress update"
      onSubmit={form.onSubmit((v) =>
        create.mutate(
          { body: v.body.trim(), milestone, task_id: v.task ? Number(v.task) : undefined },
          {
            onSuccess: () => {
              notifications.show({
                message: "Update posted; a coach will review it",
                color: "green",
              });
              form.reset();
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <FormError error={create.error} />
        <Textarea
          label={`Progress update for ${milestoneTitle(milestone)}`}
          placeholder="What did you achieve, learn or decide?"
          required
          autosize
          minRows={3}
          {...form.getInputProps("body")}
        />
        {taskOptions.length > 0 && (
          <Select
            label="Related task"
            placeholder="None"
            data={taskOptions}
            clearable
            {...form.getInputProps("task")}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            Post update
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function UpdateRow({
  update,
  canReview,
  busy,
  onApprove,
  onReject,
  companyName,
}: {
  update: Update;
  canReview: boolean;
  busy: boolean;
  onApprove: () => void;
  onReject: () => void;
  companyName?: string;
}) {
  const { title: milestoneTitle } = useMilestones();
  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <StatusBadge status={update.status} />
            <Text size="xs" c="dimmed">
              {companyName ? `${companyName} · ` : ""}
              {milestoneTitle(update.milestone)} · posted <RelativeTime value={update.created_at} />
            </Text>
          </Group>
          {canReview && update.status === "pending" && (
            <DecisionButtons
              subject={`update from ${update.created_at.slice(0, 10)}`}
              busy={busy}
              onApprove={onApprove}
              onReject={onReject}
            />
          )}
        </Group>
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {update.body}
        </Text>
        {update.review_comment && (
          <Text size="xs" c={update.status === "rejected" ? "red.8" : "dimmed"}>
            Coach’s comment: {update.review_comment}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function UpdatesPanel({
  companyId,
  milestone,
}: {
  companyId: number;
  milestone: MilestoneKey;
}) {
  const me = useViewer();
  const [status, setStatus] = useState("all");
  const [page, setPage] = useState(1);
  const updates = useUpdates(companyId, {
    status: status === "all" ? undefined : (status as UpdateStatus),
    page,
    page_size: 20,
  });
  const review = useReviewUpdate(companyId);
  const canReview = mayOn(me, companyId, "review");
  const rejectFlow = useRejectFlow<Update>({
    title: () => "Reject this update",
    label: "Why is it rejected?",
    confirmLabel: "Reject update",
    reject: (u, comment) =>
      review
        .mutateAsync({ updateId: u.id, approve: false, comment })
        .then(() => notifications.show({ message: "Update rejected", color: "green" })),
  });

  const approve = (u: Update) =>
    review.mutate(
      { updateId: u.id, approve: true },
      {
        onSuccess: () => notifications.show({ message: "Update approved", color: "green" }),
        onError: (e) =>
          notifications.show({ title: "Not approved", message: errorMessage(e), color: "red" }),
      },
    );

  return (
    <Stack>
      {mayOn(me, companyId, "post_update") && (
        <Card>
          <PostUpdateForm companyId={companyId} milestone={milestone} />
        </Card>
      )}
      <Card>
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Title order={3} size="h4">
            Progress updates
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Update status"
            data={[
              { value: "all", label: "All" },
              { value: "pending", label: "Pending" },
              { value: "approved", label: "Approved" },
              { value: "rejected", label: "Rejected" },
            ]}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
          />
        </Group>
        <PagedList
          query={updates}
          loadingLabel="Loading updates…"
          label="Progress updates"
          empty={<EmptyState title="No progress updates yet" />}
          rowKey={(u) => u.id}
          renderItem={(u) => (
            <UpdateRow
              update={u}
              canReview={canReview}
              busy={review.isPending}
              onApprove={() => approve(u)}
              onReject={() => rejectFlow.start(u)}
            />
          )}
          pagination={{ page, onChange: setPage, label: "Update pages" }}
        />
      </Card>
      {rejectFlow.dialog}
    </Stack>
  );
}
