import { Card, Group, Select, Text, Timeline, Title } from "@mantine/core";
import { useState } from "react";
import { PaginationBar } from "@/components/PaginationBar";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { describeEvent } from "@/lib/history";
import { useMilestones } from "@/lib/milestones";
import type { MilestoneKey } from "@/lib/types";
import { useHistory } from "./api";

const COLOR = {
  toggled: "indigo",
  evidence_added: "teal",
  evidence_removed: "orange",
  evidence_proposed: "grape",
  evidence_accepted: "teal",
  evidence_rejected: "red",
  criterion_checked: "cyan",
} as const;

export function HistoryTimeline({ companyId }: { companyId: number }) {
  const milestones = useMilestones();
  const [milestone, setMilestone] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const history = useHistory(companyId, {
    milestone: (milestone as MilestoneKey | null) ?? undefined,
    page,
    page_size: 25,
  });
  return (
    <Card>
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={3} size="h4">
          History
        </Title>
        <Select
          aria-label="Filter history by milestone"
          placeholder="All milestones"
          data={milestones.options}
          value={milestone}
          onChange={(v) => {
            setMilestone(v);
            setPage(1);
          }}
          clearable
          size="xs"
          w={200}
        />
      </Group>
      <QueryBoundary query={history} loadingLabel="Loading history…">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="Nothing has happened yet">
              Milestone changes and evidence show up here.
            </EmptyState>
          ) : (
            <>
              <Timeline bulletSize={14} lineWidth={2} aria-label="History">
                {data.items.map((item) => (
                  <Timeline.Item
                    key={item.id}
                    color={
                      item.event === "toggled" && item.achieved === false
                        ? "red"
                        : COLOR[item.event]
                    }
                    title={
                      <Text fw={500} size="sm">
                        {describeEvent(item, milestones.title)}
                      </Text>
                    }
                  >
                    {item.reason && (
                      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                        “{item.reason}”
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {typeof item.actor_name === "string" && item.actor_name
                        ? item.actor_name
                        : "Someone"}{" "}
                      · <RelativeTime value={item.created_at} />
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
              <PaginationBar
                info={data.pagination}
                page={page}
                onChange={setPage}
                label="History pages"
              />
            </>
          )
        }
      </QueryBoundary>
    </Card>
  );
}
