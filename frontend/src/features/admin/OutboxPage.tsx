import { Button, SegmentedControl, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { StatusBadge } from "@/components/Badges";
import { PageHeader } from "@/components/PageHeader";
import { PaginationBar } from "@/components/PaginationBar";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { ScrollTable } from "@/components/ScrollTable";
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
      <QueryBoundary query={outbox} loadingLabel="Loading messages…">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title={`No ${status} messages`}>
              {status === "failed" ? "Every e-mail went out." : null}
            </EmptyState>
          ) : (
            <>
              <ScrollTable label="Outbox messages" minWidth={700}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Recipient</Table.Th>
                      <Table.Th>Subject</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Attempts</Table.Th>
                      <Table.Th>Created</Table.Th>
                      <Table.Th>Action</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((m) => (
                      <Table.Tr key={m.id}>
                        <Table.Td>{m.recipient}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{m.subject}</Text>
                          {m.last_error && (
                            <Text size="xs" c="red.8">
                              {m.last_error}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={m.status} />
                        </Table.Td>
                        <Table.Td>{m.attempts}</Table.Td>
                        <Table.Td>
                          <RelativeTime value={m.created_at} />
                        </Table.Td>
                        <Table.Td>
                          {m.status === "failed" && (
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
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              <PaginationBar
                info={data.pagination}
                page={page}
                onChange={setPage}
                label="Outbox pages"
              />
            </>
          )
        }
      </QueryBoundary>
    </>
  );
}
