import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { useMilestones } from "@/lib/milestones";
import type { MilestoneAnalytics } from "@/lib/types";

export default function DaysChart({ rows }: { rows: MilestoneAnalytics[] }) {
  const { title: milestoneTitle } = useMilestones();
  const data = rows.map((r) => ({
    milestone: milestoneTitle(r.milestone),
    "Average days": r.avg_days == null ? 0 : Math.round(r.avg_days * 10) / 10,
    "Median days": r.median_days == null ? 0 : Math.round(r.median_days * 10) / 10,
  }));
  return (
    <BarChart
      h={300}
      data={data}
      dataKey="milestone"
      withLegend
      series={[
        { name: "Average days", color: "indigo.6" },
        { name: "Median days", color: "teal.6" },
      ]}
    />
  );
}
