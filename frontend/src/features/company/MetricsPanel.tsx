import { Card, Stack, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { EmptyState, LoadingState, QueryBoundary } from "@/components/QueryState";
import { useMilestones } from "@/lib/milestones";
import type { MetricSeries, MilestoneKey } from "@/lib/types";
import { useCompanyMetrics, useMetricSeries } from "./api";
import { MetricsCards } from "./MetricsCards";

const TrendChart = lazy(() => import("./TrendChart"));
const MetricSeriesCharts = lazy(() => import("./MetricSeriesCharts"));

/** Accepted metric evidence per measure (paying customers, MRR, ARR...), a chart each. */
function MetricSeriesSection({ companyId }: { companyId: number }) {
  const series = useMetricSeries(companyId);
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Business metrics
      </Title>
      <QueryBoundary query={series} loadingLabel="Loading business metrics…">
        {(data) =>
          data.series.length === 0 ? (
            <EmptyState title="No business metrics yet">
              Metric evidence that names what it measures (paying customers, MRR, ARR…) is charted
              here once accepted.
            </EmptyState>
          ) : (
            <Suspense fallback={<LoadingState label="Loading charts…" />}>
              <MetricSeriesCharts series={data.series as MetricSeries[]} />
            </Suspense>
          )
        }
      </QueryBoundary>
    </Stack>
  );
}

export function MetricsPanel({
  companyId,
  milestone,
}: {
  companyId: number;
  milestone: MilestoneKey;
}) {
  const { title: milestoneTitle } = useMilestones();
  const metrics = useCompanyMetrics(companyId);
  return (
    <QueryBoundary query={metrics} loadingLabel="Loading metrics…">
      {(data) => {
        const current = data.milestones.find((m) => m.milestone === milestone);
        return (
          <Stack>
            <Title order={3} size="h4">
              {milestoneTitle(milestone)}: metrics
            </Title>
            {current ? (
              <MetricsCards metrics={current} />
            ) : (
              <EmptyState title="No metrics for this milestone" />
            )}
            <MetricSeriesSection companyId={companyId} />
            <Card>
              <Title order={3} size="h4" mb="sm">
                Last 12 weeks
              </Title>
              <Suspense fallback={<LoadingState label="Loading chart…" />}>
                <TrendChart trend={data.trend} />
              </Suspense>
            </Card>
          </Stack>
        );
      }}
    </QueryBoundary>
  );
}
