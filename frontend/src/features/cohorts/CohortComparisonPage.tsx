import { Anchor, Card, Table, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { Link } from "react-router";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, LoadingState, QueryBoundary } from "@/components/QueryState";
import { ScrollTable } from "@/components/ScrollTable";
import { may } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";
import { days } from "@/lib/format";
import { useMilestones } from "@/lib/milestones";
import type { CohortAnalytics } from "@/lib/types";
import { useCohortComparison } from "./api";

// The chart library loads only with this screen's charts.
const CohortCharts = lazy(() => import("./CohortCharts"));

function FiguresTable({ cohorts }: { cohorts: CohortAnalytics[] }) {
  const { title: milestoneTitle } = useMilestones();
  const keys = cohorts[0]?.milestones.map((m) => m.milestone) ?? [];
  return (
    <ScrollTable label="Figures per cohort and milestone" minWidth={640}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Milestone</Table.Th>
            {cohorts.map((c) => (
              <Table.Th key={c.cohort_id}>{c.name}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key, i) => (
            <Table.Tr key={key}>
              <Table.Td>{milestoneTitle(key)}</Table.Td>
              {cohorts.map((c) => {
                const m = c.milestones[i];
                return (
                  <Table.Td key={c.cohort_id}>
                    {m
                      ? `${m.achieved} / ${m.started} achieved · median ${days(m.median_days)}`
                      : "—"}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export default function CohortComparisonPage() {
  const me = useViewer();
  const comparison = useCohortComparison();
  return (
    <>
      <PageHeader
        title="Cohort comparison"
        description="Days to each milestone and the funnel, cohort by cohort, over the companies you can see."
      />
      <QueryBoundary query={comparison} loadingLabel="Loading cohorts…">
        {(data) =>
          data.cohorts.length === 0 ? (
            <EmptyState title="No cohorts to compare">
              {may(me, "manage_cohorts") ? (
                <>
                  Create cohorts under{" "}
                  <Anchor component={Link} to="/admin/cohorts">
                    Cohorts
                  </Anchor>{" "}
                  and put companies in them.
                </>
              ) : (
                "None of your companies is in a cohort yet."
              )}
            </EmptyState>
          ) : (
            <>
              <Suspense fallback={<LoadingState label="Loading charts…" />}>
                <CohortCharts cohorts={data.cohorts} />
              </Suspense>
              <Card>
                <Title order={2} size="h4" mb="sm">
                  Figures
                </Title>
                <FiguresTable cohorts={data.cohorts} />
              </Card>
            </>
          )
        }
      </QueryBoundary>
    </>
  );
}
