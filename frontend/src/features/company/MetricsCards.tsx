import { Card, SimpleGrid, Text } from "@mantine/core";
import { days, percent } from "@/lib/format";
import type { MilestoneMetrics } from "@/lib/types";

export function MetricsCards({ metrics }: { metrics: MilestoneMetrics }) {
  const cards: { label: string; value: string; hint?: string }[] = [
    { label: "Days in milestone", value: String(metrics.days_in_milestone) },
    {
      label: "Tasks completed",
      value: `${metrics.completed_tasks} / ${metrics.total_tasks}`,
      hint: `${metrics.active_tasks} active`,
    },
    { label: "Avg. task completion", value: days(metrics.avg_task_completion_time) },
    { label: "Task approval rate", value: percent(metrics.task_approval_rate) },
    {
      label: "Progress updates",
      value: String(metrics.progress_update_count),
      hint: `${metrics.approved_updates} approved · ${metrics.pending_updates} pending · ${metrics.rejected_updates} rejected`,
    },
    { label: "Update approval rate", value: percent(metrics.update_approval_rate) },
    { label: "Evidence items", value: String(metrics.evidence_count) },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="sm">
      {cards.map((c) => (
        <Card key={c.label} padding="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {c.label}
          </Text>
          <Text fz="xl" fw={700}>
            {c.value}
          </Text>
          {c.hint && (
            <Text size="xs" c="dimmed">
              {c.hint}
            </Text>
          )}
        </Card>
      ))}
    </SimpleGrid>
  );
}
