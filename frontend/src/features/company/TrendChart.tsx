import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { Text, VisuallyHidden } from "@mantine/core";
import type { TrendPoint } from "@/lib/types";

/** Loaded lazily: the charts library stays out of the first download. */
export default function TrendChart({ trend }: { trend: TrendPoint[] }) {
  if (trend.length === 0) return <Text c="dimmed">No activity in the last 12 weeks.</Text>;
  const data = trend.map((t) => ({
    week: t.week,
    "Completed tasks": t.completed_tasks,
    "Approved updates": t.approved_updates,
  }));
  return (
    <figure style={{ margin: 0 }} aria-label="Weekly activity, last 12 weeks">
      <BarChart
        h={260}
        data={data}
        dataKey="week"
        withLegend
        series={[
          { name: "Completed tasks", color: "indigo.6" },
          { name: "Approved updates", color: "teal.6" },
        ]}
        tickLine="y"
      />
      <VisuallyHidden>
        <table>
          <caption>Weekly activity</caption>
          <thead>
            <tr>
              <th>Week</th>
              <th>Completed tasks</th>
              <th>Approved updates</th>
            </tr>
          </thead>
          <tbody>
            {trend.map((t) => (
              <tr key={t.week}>
                <td>{t.week}</td>
                <td>{t.completed_tasks}</td>
                <td>{t.approved_updates}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </figure>
  );
}
