import { Anchor, Badge, Card, Group, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { CommentDialog } from "@/components/CommentDialog";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, LoadingState, QueryBoundary } from "@/components/QueryState";
import { useCompanies } from "@/features/company/api";
import { type TaskAction, type TaskFilters, useTaskAction, useTasks } from "@/features/tasks/api";
import { TaskRow } from "@/features/tasks/TasksPanel";
import { type UpdateFilters, useReviewUpdate, useUpdates } from "@/features/updates/api";
import { UpdateRow } from "@/features/updates/UpdatesPanel";
import { api, unwrapPage } from "@/lib/api";
import { errorMessage } from "@/lib/errors";
import type { Company, Task, Update } from "@/lib/types";

const SUBMITTED: TaskFilters = { status: "submitted", page_size: 100 };
const PENDING: UpdateFilters = { status: "pending", page_size: 100 };

function CompanyApprovals({ company }: { company: Company }) {
  const tasks = useTasks(company.id, SUBMITTED);
  const updates = useUpdates(company.id, PENDING);
  const taskAction = useTaskAction(company.id);
  const review = useReviewUpdate(company.id);
  const [rejectTask, setRejectTask] = useState<Task | null>(null);
  const [rejectUpdate, setRejectUpdate] = useState<Update | null>(null);
  const taskItems = tasks.data?.items ?? [];
  const updateItems = updates.data?.items ?? [];
  if (taskItems.length + updateItems.length === 0) return null;

  const onTask = (task: Task, action: TaskAction) => {
    if (action === "reject") {
      taskAction.reset();
      setRejectTask(task);
      return;
    }
    taskAction.mutate(
      { taskId: task.id, action },
      {
        onSuccess: () =>
          notifications.show({
            message: `Task “${task.title}” ${action === "approve" ? "approved" : action === "cancel" ? "cancelled" : "updated"}`,
            color: "green",
          }),
        onError: (e) =>
          notifications.show({ title: "Not changed", message: errorMessage(e), color: "red" }),
      },
    );
  };

  return (
    <Card component="section" aria-label={`Approvals for ${company.name}`}>
      <Group justify="space-between" mb="sm">
        <Anchor component={Link} to={`/companies/${company.id}`} fw={600} size="lg">
          {company.name}
        </Anchor>
        <Badge color="orange" variant="light">
          {taskItems.length + updateItems.length} waiting
        </Badge>
      </Group>
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {taskItems.map((t) => (
          <TaskRow
            key={`t${t.id}`}
            task={t}
            companyId={company.id}
            onAction={onTask}
            busy={taskAction.isPending}
          />
        ))}
        {updateItems.map((u) => (
          <UpdateRow
            key={`u${u.id}`}
            update={u}
            canReview
            busy={review.isPending}
            onApprove={() =>
              review.mutate(
                { updateId: u.id, approve: true },
                {
                  onSuccess: () =>
                    notifications.show({ message: "Update approved", color: "green" }),
                  onError: (e) =>
                    notifications.show({
                      title: "Not approved",
                      message: errorMessage(e),
                      color: "red",
                    }),
                },
              )
            }
            onReject={() => {
              review.reset();
              setRejectUpdate(u);
            }}
          />
        ))}
      </Stack>
      <CommentDialog
        opened={rejectTask !== null}
        title={`Reject “${rejectTask?.title ?? ""}”`}
        label="What still needs doing?"
        confirmLabel="Reject task"
        required
        error={taskAction.error}
        loading={taskAction.isPending}
        onClose={() => setRejectTask(null)}
        onConfirm={(comment) =>
          rejectTask &&
          taskAction.mutate(
            { taskId: rejectTask.id, action: "reject", comment },
            { onSuccess: () => setRejectTask(null) },
          )
        }
      />
      <CommentDialog
        opened={rejectUpdate !== null}
        title="Reject this update"
        label="Why is it rejected?"
        confirmLabel="Reject update"
        required
        error={review.error}
        loading={review.isPending}
        onClose={() => setRejectUpdate(null)}
        onConfirm={(comment) =>
          rejectUpdate &&
          review.mutate(
            { updateId: rejectUpdate.id, approve: false, comment },
            { onSuccess: () => setRejectUpdate(null) },
          )
        }
      />
    </Card>
  );
}

function ApprovalsList({ companies }: { companies: Company[] }) {
  // The same queries the sections use (same keys), to know whether anything waits at all.
  const results = useQueries({
    queries: companies.flatMap((c) => [
      {
        queryKey: ["companies", c.id, "tasks", SUBMITTED],
        queryFn: () =>
          unwrapPage(
            api.GET("/api/v1/companies/{company_id}/tasks", {
              params: { path: { company_id: c.id }, query: SUBMITTED },
            }),
          ),
      },
      {
        queryKey: ["companies", c.id, "updates", PENDING],
        queryFn: () =>
          unwrapPage(
            api.GET("/api/v1/companies/{company_id}/updates", {
              params: { path: { company_id: c.id }, query: PENDING },
            }),
          ),
      },
    ]),
  });
  if (results.some((r) => r.isPending)) return <LoadingState label="Collecting approvals…" />;
  const failed = results.find((r) => r.error);
  if (failed)
    return (
      <ErrorState
        error={failed.error}
        onRetry={() => {
          for (const r of results) r.refetch();
        }}
      />
    );
  const total = results.reduce((n, r) => n + (r.data?.items.length ?? 0), 0);
  if (total === 0)
    return (
      <EmptyState title="Nothing waits for you">
        Submitted tasks and pending progress updates appear here.
      </EmptyState>
    );
  return (
    <Stack>
      {companies.map((c) => (
        <CompanyApprovals key={c.id} company={c} />
      ))}
    </Stack>
  );
}

export default function ApprovalsPage() {
  const companies = useCompanies({ page_size: 100 });
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Submitted tasks and pending progress updates across your companies."
      />
      <QueryBoundary query={companies} loadingLabel="Loading your companies…">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="You are not assigned to a company yet" />
          ) : (
            <ApprovalsList companies={data.items} />
          )
        }
      </QueryBoundary>
    </>
  );
}
