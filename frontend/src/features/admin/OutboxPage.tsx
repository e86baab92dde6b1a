import { Button, SegmentedControl, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { StatusBadge } from "@/components/Badges";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { errorMessage } from "@/lib/errors";
import { useOutbox, useRequeue } from "./api";

type OutboxStatus = "pending" | "sent" | "failed";

export default function OutboxPage() {
  const [status, setStatus] = useState<OutboxStatus>("failed");
  const [page, setPage] = useState(1);
  const outbox = useOutbox({ status, page, page_size: 25 });
  const requeue = useRequeue();
  return (
    <>
      <PageHeader
        title="Notification outbox"
        description="E-mails waiting, sent, or failed after every retry."
      />
      <SegmentedControl
        aria-label="Message status"
        mb="md"
        data={[
          { value: "failed", label: "Failed" },
          { value: "pending", label: "Pending" },
          { value: "sent", label: "Sent" },
        ]}
        value={status}
        onChange={(v) => {
          setStatus(v as OutboxStatus);
          setPage(1);
        }}
      />
      <PagedTable
        query={outbox}
        loadingLabel="Loading messages…"
        label="Outbox messages"
        minWidth={700}
        empty={
          <EmptyState title={`No ${status} messages`}>
            {status === "failed" ? "Every e-mail went out." : null}
          </EmptyState>
        }
        rowKey={(m) => m.id}
        columns={[
          { header: "Recipient", cell: (m) => m.recipient },
          {
            header: "Subject",
            cell: (m) => (
              <>
                <Text size="sm">{m.subject}</Text>
                {m.last_error && (
                  <Text size="xs" c="red.8">
                    {m.last_error}
                  </Text>
                )}
              </>
            ),
          },
          {
            header: "Status",
            cell: (m) => <StatusBadge status={m.status} />,
          },
          { header: "Attempts", cell: (m) => m.attempts },
          {
            header: "Created",
            cell: (m) => <RelativeTime value={m.created_at} />,
          },
          {
            header: "Action",
            cell: (m) =>
              m.status === "failed" && (
                <Button
                  size="xs"
                  variant="light"
                  loading={requeue.isPending && requeue.variables === m.id}
                  aria-label={`Requeue message to ${m.recipient}`}
                  onClick={() =>
                    requeue.mutate(m.id, {
                      onSuccess: () =>
                        notifications.show({
                          message: "Message queued again",
                          color: "green",
                        }),
                      onError: (e) =>
                        notifications.show({
                          title: "Not requeued",
                          message: errorMessage(e),
                          color: "red",
                        }),
                    })
                  }
                >
                  Requeue
                </Button>
              ),
          },
        ]}
        pagination={{ page, onChange: setPage, label: "Outbox pages" }}
      />
    </>
  );
}
