import { Badge, Card, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { useMilestones } from "@/lib/milestones";
import type { Evidence } from "@/lib/types";
import { useProposals } from "./api";
import { ReviewButtons } from "./EvidenceList";

const STATUS = {
  proposed: { label: "Waiting for review", color: "orange" },
  accepted: { label: "Accepted", color: "green" },
  rejected: { label: "Rejected", color: "red" },
} as const;

function Proposal({
  companyId,
  item,
  reviewable,
}: {
  companyId: number;
  item: Evidence;
  reviewable: boolean;
}) {
  const { title: milestoneTitle } = useMilestones();
  const status = STATUS[item.review_status];
  return (
    <Paper component="li" withBorder p="sm">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={500} size="sm" style={{ wordBreak: "break-word" }}>
              {item.title}
            </Text>
            <Badge size="sm" color={status.color} variant="light">
              {status.label}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {milestoneTitle(item.milestone)} · proposed by {item.created_by_name ?? "a member"}{" "}
            <RelativeTime value={item.created_at} />
            {item.reviewed_by_name && item.reviewed_at && (
              <>
                {" "}
                · {item.review_status} by {item.reviewed_by_name}{" "}
                <RelativeTime value={item.reviewed_at} />
              </>
            )}
          </Text>
          {item.review_comment && (
            <Text size="sm">
              <Text span fw={500}>
                Coach’s comment:
              </Text>{" "}
              {item.review_comment}
            </Text>
          )}
        </Stack>
        {reviewable && item.review_status === "proposed" && (
          <ReviewButtons companyId={companyId} item={item} />
        )}
      </Group>
    </Paper>
  );
}

/** Members: their company's proposals, with the decision and the coach's comment.
 * Coaches: the proposals still waiting, on every milestone, to accept or reject. */
export function EvidenceProposals({
  companyId,
  forCoach,
}: {
  companyId: number;
  forCoach: boolean;
}) {
  const proposals = useProposals(companyId, forCoach ? "proposed" : undefined);
  return (
    <QueryBoundary query={proposals} loadingLabel="Loading proposals…">
      {(items) =>
        forCoach && items.length === 0 ? null : (
          <Card>
            <Title order={3} size="h4" mb="sm">
              {forCoach
                ? `Evidence proposed by members (${items.length} waiting)`
                : "Your proposed evidence"}
            </Title>
            {items.length === 0 ? (
              <EmptyState title="Nothing proposed yet">
                Evidence you add is reviewed by your coach; it counts once accepted.
              </EmptyState>
            ) : (
              <Stack
                gap="xs"
                component="ul"
                style={{ listStyle: "none", padding: 0, margin: 0 }}
                aria-label="Proposed evidence"
              >
                {items.map((item) => (
                  <Proposal key={item.id} companyId={companyId} item={item} reviewable={forCoach} />
                ))}
              </Stack>
            )}
          </Card>
        )
      }
    </QueryBoundary>
  );
}
