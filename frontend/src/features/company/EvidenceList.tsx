import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { FormError } from "@/components/FormError";
import { EmptyState } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { fileSize } from "@/lib/format";
import type { Evidence, MilestoneStatus } from "@/lib/types";
import { useDeleteEvidence } from "./api";
import { evidenceHref } from "./CriteriaChecklist";

const TYPE_LABEL = { document: "Document", link: "Link", metric: "Metric" } as const;

export function EvidenceList({
  companyId,
  status,
  evidence,
  canManage,
}: {
  companyId: number;
  status: MilestoneStatus;
  evidence: Evidence[];
  canManage: boolean;
}) {
  const [removing, setRemoving] = useState<Evidence | null>(null);
  const remove = useDeleteEvidence(companyId);
  const criterionText = (key: string | null) => status.criteria.find((c) => c.key === key)?.text;

  if (evidence.length === 0) {
    return (
      <EmptyState title="No evidence yet">
        {canManage
          ? "Upload a document, add a link or record a metric. A milestone needs evidence before it can be achieved."
          : "Your coach has not attached evidence to this milestone yet."}
      </EmptyState>
    );
  }

  return (
    <>
      <Stack
        gap="xs"
        component="ul"
        style={{ listStyle: "none", padding: 0, margin: 0 }}
        aria-label="Evidence"
      >
        {evidence.map((e) => {
          const href = evidenceHref(e);
          return (
            <Paper component="li" key={e.id} withBorder p="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Group gap="xs">
                    <Badge size="sm" variant="light">
                      {TYPE_LABEL[e.evidence_type]}
                    </Badge>
                    {href ? (
                      <Anchor
                        href={href}
                        fw={500}
                        size="sm"
                        target={e.evidence_type === "link" ? "_blank" : undefined}
                        rel="noopener noreferrer"
                        style={{ wordBreak: "break-word" }}
                      >
                        {e.title}
                      </Anchor>
                    ) : (
                      <Text fw={500} size="sm">
                        {e.title}
                      </Text>
                    )}
                  </Group>
                  {e.evidence_type === "metric" && e.metric_value != null && (
                    <Text size="sm">
                      {e.metric_value} {e.metric_unit}
                    </Text>
                  )}
                  {e.description && (
                    <Text size="sm" c="dimmed">
                      {e.description}
                    </Text>
                  )}
                  <Group gap="xs">
                    {e.attachment && (
                      <Text size="xs" c="dimmed">
                        {e.attachment.filename} · {fileSize(e.attachment.size)}
                      </Text>
                    )}
                    {e.criterion && (
                      <Badge size="xs" color="teal" variant="outline">
                        {criterionText(e.criterion) ?? e.criterion}
                      </Badge>
                    )}
                    <Text size="xs" c="dimmed">
                      added <RelativeTime value={e.created_at} />
                    </Text>
                  </Group>
                </Stack>
                {canManage && (
                  <Tooltip label="Remove evidence">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove evidence ${e.title}`}
                      onClick={() => {
                        remove.reset();
                        setRemoving(e);
                      }}
                    >
                      ✕
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
            </Paper>
          );
        })}
      </Stack>
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove evidence?"
        centered
      >
        <Stack>
          <Text size="sm">
            “{removing?.title}” leaves the evidence list. The history keeps a record of it.
          </Text>
          <FormError error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                removing &&
                remove.mutate(removing.id, {
                  onSuccess: () => {
                    notifications.show({ message: "Evidence removed", color: "green" });
                    setRemoving(null);
                  },
                })
              }
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
