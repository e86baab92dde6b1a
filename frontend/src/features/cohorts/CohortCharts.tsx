import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { Card, SimpleGrid, Text, Title } from "@mantine/core";
import { Funnel } from "@/components/Funnel";
import { useMilestones } from "@/lib/milestones";
import type { CohortAnalytics } from "@/lib/types";

const COLORS = ["indigo.6", "teal.6", "orange.6", "grape.6", "cyan.6", "lime.7", "pink.6"];

export function cohortColor(index: number): string {
  return COLORS[index % COLORS.length] as string;
}

function round(value: number | null): number {
  return value == null ? 0 : Math.round(value * 10) / 10;
}

/** Days to each milestone, one bar per cohort side by side (mean or median). */
function DaysBars({ cohorts, measure }: { cohorts: CohortAnalytics[]; measure: "avg" | "median" }) {
  const { title: milestoneTitle } = useMilestones();
  const keys = cohorts[0]?.milestones.map((m) => m.milestone) ?? [];
  const data = keys.map((key, i) => {
    const row: Record<string, string | number> = { milestone: milestoneTitle(key) };
    for (const c of cohorts) {
      const m = c.milestones[i];
      row[c.name] = round((measure === "avg" ? m?.avg_days : m?.median_days) ?? null);
    }
    return row;
  });
  return (
    <BarChart
      h={300}
      data={data}
      dataKey="milestone"
      withLegend
      unit=" d"
      series={cohorts.map((c, i) => ({ name: c.name, color: cohortColor(i) }))}
    />
  );
}

/** The cohort's funnel: per milestone, companies that achieved it and are in it, of those
 * that started it (the analytics screen's accessible funnel: recharts' funnel shapes carry
 * role="img" without a text alternative). */
function CohortFunnel({ cohort }: { cohort: CohortAnalytics }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb={4}>
        {cohort.name}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {cohort.companies} compan{cohort.companies === 1 ? "y" : "ies"}
      </Text>
      <Funnel rows={cohort.milestones} />
    </Card>
  );
}

export default function CohortCharts({ cohorts }: { cohorts: CohortAnalytics[] }) {
  return (
    <>
      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        <Card>
          <Title order={2} size="h4" mb="sm">
            Median days to each milestone
          </Title>
          <DaysBars cohorts={cohorts} measure="median" />
        </Card>
        <Card>
          <Title order={2} size="h4" mb="sm">
            Mean days to each milestone
          </Title>
          <DaysBars cohorts={cohorts} measure="avg" />
        </Card>
      </SimpleGrid>
      <Title order={2} size="h4" mb="sm">
        Funnel per cohort
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} mb="md">
        {cohorts.map((c) => (
          <CohortFunnel key={c.cohort_id} cohort={c} />
        ))}
      </SimpleGrid>
    </>
  );
}
