import {
  Button,
  Card,
  Collapse,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
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
import type { MilestoneKey, Task, TaskStatus } from "@/lib/types";
import { type TaskAction, useCreateTask, useTaskAction } from "./api";

const DONE: Record<TaskAction, string> = {
  submit: "submitted for approval",
  approve: "approved",
  reject: "returned to open",
  cancel: "cancelled",
};

const STATUS_FILTERS = [
  { value: "all", label: "All" },
  { value: "open", label: "Open" },
  { value: "submitted", label: "Submitted" },
  { value: "approved", label: "Approved" },
  { value: "cancelled", label: "Cancelled" },
];

function CreateTaskForm({
  companyId,
  milestone,
  onDone,
}: {
  companyId: number;
  milestone: MilestoneKey;
  onDone: () => void;
}) {
  const { options: milestoneOptions } = useMilestones();
  const create = useCreateTask(companyId);
  const form = useForm({
    initialValues: { title: "", description: "", milestone: milestone as string },
    validate: { title: (v) => (v.trim() ? null : "Enter a title") },
  });
  return (
    <form
      noValidate
      aria-label="New task"
      onSubmit={form.onSubmit((v) =>
        create.mutate(
          {
            title: v.title.trim(),
            description: v.description.trim(),
            milestone: v.milestone as MilestoneKey,
          },
          {
            onSuccess: () => {
              notifications.show({ message: "Task created", color: "green" });
              form.reset();
              onDone();
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <FormError error={create.error} />
        <TextInput label="Task title" required {...form.getInputProps("title")} />
        <Textarea
          label="Task description"
          autosize
          minRows={2}
          {...form.getInputProps("description")}
        />
        <Select
          label="Milestone"
          data={milestoneOptions}
          allowDeselect={false}
          {...form.getInputProps("milestone")}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            Create task
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TaskRow({
  task,
  companyId,
  onAction,
  busy,
}: {
  task: Task;
  companyId: number;
  onAction: (task: Task, action: TaskAction) => void;
  busy: boolean;
}) {
  const { title: milestoneTitle } = useMilestones();
  const me = useViewer();
  const reviewer = mayOn(me, companyId, "review");
  return (
    <Paper component="li" withBorder p="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs">
            <Text fw={500}>{task.title}</Text>
            <StatusBadge status={task.status} />
          </Group>
          {task.description && (
            <Text size="sm" c="dimmed">
              {task.description}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {milestoneTitle(task.milestone)} · created <RelativeTime value={task.created_at} />
            {task.submitted_at && task.status === "submitted" && (
              <>
                {" "}
                · submitted <RelativeTime value={task.submitted_at} />
              </>
            )}
            {task.completed_at && (
              <>
                {" "}
                · completed <RelativeTime value={task.completed_at} />
              </>
            )}
          </Text>
          {task.review_comment && task.status === "open" && (
            <Text size="xs" c="red.8">
              Returned by coach: {task.review_comment}
            </Text>
          )}
        </Stack>
        <Group gap="xs">
          {task.status === "open" && mayOn(me, companyId, "submit_task") && (
            <Button
              size="xs"
              variant="light"
              disabled={busy}
              onClick={() => onAction(task, "submit")}
              aria-label={`Submit task ${task.title} for approval`}
            >
              Submit for approval
            </Button>
          )}
          {task.status === "submitted" && reviewer && (
            <DecisionButtons
              subject={`task ${task.title}`}
              busy={busy}
              onApprove={() => onAction(task, "approve")}
              onReject={() => onAction(task, "reject")}
            />
          )}
          {(task.status === "open" || task.status === "submitted") && reviewer && (
            <Button
              size="xs"
              color="gray"
              variant="subtle"
              disabled={busy}
              onClick={() => onAction(task, "cancel")}
              aria-label={`Cancel task ${task.title}`}
            >
              Cancel task
            </Button>
          )}
        </Group>
      </Group>
    </Paper>
  );
}

export function TasksPanel({
  companyId,
  milestone,
}: {
  companyId: number;
  milestone: MilestoneKey;
}) {
  const { title: milestoneTitle } = useMilestones();
  const me = useViewer();
  const [status, setStatus] = useState("all");
  const [onlyMilestone, setOnlyMilestone] = useState(true);
  const [page, setPage] = useState(1);
  const [creating, { toggle: toggleCreate, close: closeCreate }] = useDisclosure(false);
  const tasks = useTasks(companyId, {
    status: status === "all" ? undefined : (status as TaskStatus),
    milestone: onlyMilestone ? milestone : undefined,
    page,
    page_size: 20,
  });
  const action = useTaskAction(companyId);
  const rejectFlow = useRejectFlow<Task>({
    title: (task) => `Reject “${task.title}”`,
    label: "What still needs doing?",
    confirmLabel: "Reject task",
    reject: (task, comment) =>
      action
        .mutateAsync({ taskId: task.id, action: "reject", comment })
        .then(() =>
          notifications.show({ message: `Task “${task.title}” ${DONE.reject}`, color: "green" }),
        ),
  });

  const run = (task: Task, act: TaskAction) => {
    if (act === "reject") {
      rejectFlow.start(task);
      return;
    }
    action.mutate(
      { taskId: task.id, action: act },
      {
        onSuccess: () =>
          notifications.show({ message: `Task “${task.title}” ${DONE[act]}`, color: "green" }),
        onError: (e) =>
          notifications.show({
            title: "Task not changed",
            message: errorMessage(e),
            color: "red",
          }),
      },
    );
  };

  return (
    <Card>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={3} size="h4">
          Tasks
        </Title>
        {mayOn(me, companyId, "create_task") && (
          <Button size="xs" onClick={toggleCreate} aria-expanded={creating}>
            {creating ? "Close form" : "New task"}
          </Button>
        )}
      </Group>
      <Collapse in={creating}>
        <Paper withBorder p="sm" mb="sm">
          <CreateTaskForm companyId={companyId} milestone={milestone} onDone={closeCreate} />
        </Paper>
      </Collapse>
      <Group mb="sm" gap="sm" wrap="wrap">
        <SegmentedControl
          size="xs"
          aria-label="Task status"
          data={STATUS_FILTERS}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
        />
        <SegmentedControl
          size="xs"
          aria-label="Task milestone"
          data={[
            { value: "this", label: milestoneTitle(milestone) },
            { value: "all", label: "All milestones" },
          ]}
          value={onlyMilestone ? "this" : "all"}
          onChange={(v) => {
            setOnlyMilestone(v === "this");
            setPage(1);
          }}
        />
      </Group>
      <PagedList
        query={tasks}
        loadingLabel="Loading tasks…"
        label="Tasks"
        empty={
          <EmptyState title="No tasks here">Tasks for this filter will show up here.</EmptyState>
        }
        rowKey={(t) => t.id}
        renderItem={(t) => (
          <TaskRow task={t} companyId={companyId} onAction={run} busy={action.isPending} />
        )}
        pagination={{ page, onChange: setPage, label: "Task pages" }}
      />
      {rejectFlow.dialog}
    </Card>
  );
}
