import { Card, Grid, Table, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { CohortFilter, useCohortParam } from "@/components/CohortFilter";
import { DownloadMenu } from "@/components/DownloadMenu";
import { Funnel } from "@/components/Funnel";
import { PageHeader } from "@/components/PageHeader";
import { LoadingState, QueryBoundary } from "@/components/QueryState";
import { ScrollTable } from "@/components/ScrollTable";
import { useMilestoneAnalytics } from "@/lib/analytics";
import { days } from "@/lib/format";
import { useMilestones } from "@/lib/milestones";

const DaysChart = lazy(() => import("./DaysChart"));

export default function AnalyticsPage() {
  const { title: milestoneTitle } = useMilestones();
  const [cohortId, setCohort] = useCohortParam();
  const analytics = useMilestoneAnalytics(cohortId);
  return (
    <>
      <PageHeader
        title="Analytics"
        description="How long companies take to reach each milestone, across the companies you can see."
        actions={
          <>
            <CohortFilter value={cohortId} onChange={setCohort} />
            <DownloadMenu report="analytics" query={{ cohort_id: cohortId }} />
          </>
        }
      />
      <QueryBoundary query={analytics} loadingLabel="Loading analytics…">
        {(data) => (
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Card>
                <Title order={2} size="h4" mb="sm">
                  Days to achieve each milestone
                </Title>
                <Suspense fallback={<LoadingState label="Loading chart…" />}>
                  <DaysChart rows={data.milestones} />
                </Suspense>
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Card>
                <Title order={2} size="h4" mb="sm">
                  Funnel
                </Title>
                <Funnel rows={data.milestones} />
              </Card>
            </Grid.Col>
            <Grid.Col span={12}>
              <Card>
                <Title order={2} size="h4" mb="sm">
                  Company counts
                </Title>
                <ScrollTable label="Company counts per milestone" minWidth={560}>
                  <Table striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Milestone</Table.Th>
                        <Table.Th>Started</Table.Th>
                        <Table.Th>Achieved</Table.Th>
                        <Table.Th>In progress</Table.Th>
                        <Table.Th>Average</Table.Th>
                        <Table.Th>Median</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.milestones.map((r) => (
                        <Table.Tr key={r.milestone}>
                          <Table.Td>{milestoneTitle(r.milestone)}</Table.Td>
                          <Table.Td>{r.started}</Table.Td>
                          <Table.Td>{r.achieved}</Table.Td>
                          <Table.Td>{r.in_progress}</Table.Td>
                          <Table.Td>{days(r.avg_days)}</Table.Td>
                          <Table.Td>{days(r.median_days)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollTable>
              </Card>
            </Grid.Col>
          </Grid>
        )}
      </QueryBoundary>
    </>
  );
}
