import { Card, Stack, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { EmptyState, LoadingState, QueryBoundary } from "@/components/QueryState";
import { milestoneTitle } from "@/lib/milestones";
import type { MilestoneKey } from "@/lib/types";
import { useCompanyMetrics } from "./api";
import { MetricsCards } from "./MetricsCards";

const TrendChart = lazy(() => import("./TrendChart"));

export function MetricsPanel({
  companyId,
  milestone,
}: {
  companyId: number;
  milestone: MilestoneKey;
}) {
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
