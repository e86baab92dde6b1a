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
import { DecisionButtons } from "@/components/DecisionButtons";
import { FormError } from "@/components/FormError";
import { EmptyState } from "@/components/QueryState";
import { useRejectFlow } from "@/components/RejectFlow";
import { RelativeTime } from "@/components/RelativeTime";
import { mayOn, mayRemoveEvidence } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";
import { errorMessage } from "@/lib/errors";
import { fileSize } from "@/lib/format";
import type { Evidence, MilestoneStatus } from "@/lib/types";
import { useDeleteEvidence, useReviewEvidence } from "./api";
import { evidenceHref } from "./CriteriaChecklist";

const TYPE_LABEL = { document: "Document", link: "Link", metric: "Metric" } as const;

/** Accept and reject buttons for a coach on a proposed item (used here and in the
 * proposals list). */
export function ReviewButtons({ companyId, item }: { companyId: number; item: Evidence }) {
  const accept = useReviewEvidence(companyId);
  const reject = useReviewEvidence(companyId);
  const rejectFlow = useRejectFlow<Evidence>({
    title: (e) => `Reject “${e.title}”`,
    label: "Why? The member who proposed it reads this.",
    confirmLabel: "Reject evidence",
    reject: (e, comment) => reject.mutateAsync({ evidenceId: e.id, accept: false, comment }),
  });
  return (
    <>
      <DecisionButtons
        subject={`evidence ${item.title}`}
        approveText="Accept"
        approving={accept.isPending}
        quiet
        onApprove={() =>
          accept.mutate(
            { evidenceId: item.id, accept: true },
            {
              onSuccess: () =>
                notifications.show({ message: `Accepted “${item.title}”`, color: "green" }),
              onError: (e) =>
                notifications.show({ message: errorMessage(e), color: "red", title: "Not saved" }),
            },
          )
        }
        onReject={() => rejectFlow.start(item)}
      />
      {rejectFlow.dialog}
    </>
  );
}

export function EvidenceList({
  companyId,
  status,
  evidence,
}: {
  companyId: number;
  status: MilestoneStatus;
  evidence: Evidence[];
}) {
  const me = useViewer();
  const [removing, setRemoving] = useState<Evidence | null>(null);
  const remove = useDeleteEvidence(companyId);
  const canReview = mayOn(me, companyId, "manage_evidence");
  const canManage = mayOn(me, companyId, "manage_evidence");
  const criterionText = (key: string | null) => status.criteria.find((c) => c.key === key)?.text;

  if (evidence.length === 0) {
    return (
      <EmptyState title="No evidence yet">
        {canManage
          ? "Upload a document, add a link or record a metric. A milestone needs evidence before it can be achieved."
          : mayOn(me, companyId, "propose_evidence")
            ? "No evidence yet. Add a document, a link or a metric: your coach reviews it."
            : "No evidence has been attached to this milestone yet."}
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
                    {e.review_status === "proposed" && (
                      <Badge size="sm" color="orange" variant="light">
                        Proposed, waiting for review
                      </Badge>
                    )}
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
                      added by {e.created_by_name ?? "someone"}{" "}
                      <RelativeTime value={e.created_at} />
                    </Text>
                  </Group>
                </Stack>
                {canReview && e.review_status === "proposed" && (
                  <ReviewButtons companyId={companyId} item={e} />
                )}
                {mayRemoveEvidence(me, companyId, e) && (
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
