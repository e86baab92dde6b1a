import {
  Badge,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  UnstyledButton,
} from "@mantine/core";
import { days, shortDate } from "@/lib/format";
import type { MilestoneKey, MilestoneStatus } from "@/lib/types";

const STATE_COLOR = { achieved: "green", current: "blue", upcoming: "gray" } as const;
const STATE_LABEL = { achieved: "Achieved", current: "Current", upcoming: "Upcoming" } as const;

export function MilestoneTrack({
  milestones,
  selected,
  onSelect,
}: {
  milestones: MilestoneStatus[];
  selected: MilestoneKey;
  onSelect: (key: MilestoneKey) => void;
}) {
  return (
    <nav aria-label="Milestone track">
      <SimpleGrid
        cols={{ base: 1, xs: 5 }}
        spacing="xs"
        component="ol"
        style={{ listStyle: "none", padding: 0, margin: 0 }}
      >
        {milestones.map((m, index) => {
          const isSelected = m.milestone === selected;
          const color = STATE_COLOR[m.state];
          return (
            <li key={m.milestone}>
              <UnstyledButton
                onClick={() => onSelect(m.milestone)}
                aria-pressed={isSelected}
                aria-label={`${index + 1}. ${m.title}: ${STATE_LABEL[m.state]}`}
                w="100%"
                h="100%"
              >
                <Paper
                  withBorder
                  p="sm"
                  h="100%"
                  style={{
                    borderColor: isSelected ? "var(--mantine-color-indigo-6)" : undefined,
                    borderWidth: isSelected ? 2 : 1,
                    background: m.state === "current" ? "var(--mantine-color-blue-0)" : undefined,
                  }}
                >
                  <Stack gap={4}>
                    <Group gap="xs" wrap="nowrap">
                      <ThemeIcon
                        radius="xl"
                        size="sm"
                        color={color}
                        variant={m.state === "upcoming" ? "light" : "filled"}
                        aria-hidden
                      >
                        <Text size="xs" fw={700} c="inherit">
                          {m.state === "achieved" ? "✓" : index + 1}
                        </Text>
                      </ThemeIcon>
                      <Text fw={600} size="sm" lh={1.2}>
                        {m.title}
                      </Text>
                    </Group>
                    <Badge color={color} variant="light" size="sm">
                      {STATE_LABEL[m.state]}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {m.state === "achieved"
                        ? `Achieved ${shortDate(m.achieved_at)}`
                        : m.state === "current"
                          ? `Started ${shortDate(m.started_at)}`
                          : "Not started"}
                    </Text>
                    {m.state !== "upcoming" && (
                      <Text size="xs">{days(m.metrics.days_in_milestone)} in milestone</Text>
                    )}
                  </Stack>
                </Paper>
              </UnstyledButton>
            </li>
          );
        })}
      </SimpleGrid>
    </nav>
  );
}
