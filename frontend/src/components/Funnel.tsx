import { Box, Group, Stack, Text } from "@mantine/core";
import { useMilestones } from "@/lib/milestones";
import type { MilestoneAnalytics } from "@/lib/types";

/** How many companies started and reached each milestone, as bars scaled to the first step. */
export function Funnel({ rows }: { rows: MilestoneAnalytics[] }) {
  const { title: milestoneTitle } = useMilestones();
  const base = Math.max(1, ...rows.map((r) => r.started));
  return (
    <Stack
      gap="sm"
      component="ol"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      aria-label="Milestone funnel"
    >
      {rows.map((r) => (
        <li key={r.milestone}>
          <Group justify="space-between" gap="xs" mb={2}>
            <Text size="sm" fw={500}>
              {milestoneTitle(r.milestone)}
            </Text>
            <Text size="xs" c="dimmed">
              {r.achieved} achieved · {r.in_progress} in progress · {r.started} started
            </Text>
          </Group>
          <Box
            role="img"
            aria-label={`${milestoneTitle(r.milestone)}: ${r.achieved} achieved and ${r.in_progress} in progress of ${r.started} started`}
            h={12}
            bg="gray.2"
            style={{ borderRadius: 6, overflow: "hidden", display: "flex" }}
          >
            <Box bg="green.7" w={`${(r.achieved / base) * 100}%`} />
            <Box bg="blue.6" w={`${(r.in_progress / base) * 100}%`} />
          </Box>
        </li>
      ))}
    </Stack>
  );
}
