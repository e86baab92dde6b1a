import "@mantine/charts/styles.css";
import { LineChart } from "@mantine/charts";
import { Card, SimpleGrid, Text, Title, VisuallyHidden } from "@mantine/core";
import { shortDate } from "@/lib/format";
import type { MetricSeries } from "@/lib/types";

function valueLabel(value: number, unit: string): string {
  const n = value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  if (unit === "USD") return `$${n}`;
  if (unit === "%") return `${n}%`;
  return n;
}

/** One line chart per metric key. Loaded lazily: the charts library stays out of the
 * entry script and is fetched only where a chart is shown. */
export default function MetricSeriesCharts({ series }: { series: MetricSeries[] }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {series.map((s) => {
        const data = s.points.map((p) => ({ at: shortDate(p.at), [s.label]: p.value }));
        const latest = s.points[s.points.length - 1];
        return (
          <Card key={s.metric_key}>
            <Title order={4} size="h5">
              {s.label}
            </Title>
            {latest && (
              <Text size="sm" c="dimmed" mb="xs">
                Latest: {valueLabel(latest.value, s.unit)} ({shortDate(latest.at)})
              </Text>
            )}
            <figure style={{ margin: 0 }} aria-label={`${s.label} over time`}>
              <LineChart
                h={200}
                data={data}
                dataKey="at"
                series={[{ name: s.label, color: "indigo.6" }]}
                valueFormatter={(v) => valueLabel(v, s.unit)}
                curveType="linear"
                withDots
              />
              <VisuallyHidden>
                <table>
                  <caption>{s.label}</caption>
                  <thead>
                    <tr>
                      <th>Recorded</th>
                      <th>Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.points.map((p) => (
                      <tr key={p.evidence_id}>
                        <td>{shortDate(p.at)}</td>
                        <td>{valueLabel(p.value, s.unit)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </VisuallyHidden>
            </figure>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
