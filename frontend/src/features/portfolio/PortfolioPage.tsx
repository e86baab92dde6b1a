import {
  Anchor,
  Badge,
  Card,
  Grid,
  Group,
  SegmentedControl,
  Select,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Link, useSearchParams } from "react-router";
import { MilestoneBadge } from "@/components/Badges";
import { CohortFilter, useCohortParam } from "@/components/CohortFilter";
import { DownloadMenu } from "@/components/DownloadMenu";
import { Funnel } from "@/components/Funnel";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { useMilestoneAnalytics } from "@/lib/analytics";
import { useViewer } from "@/lib/auth";
import { useMilestones } from "@/lib/milestones";
import { useSettings } from "@/lib/settings";
import { AttentionBadges, DaysCell } from "./Attention";
import { type PortfolioParams, type PortfolioSort, usePortfolio } from "./api";

export const SORT_OPTIONS: { value: PortfolioSort; label: string }[] = [
  { value: "name", label: "Name (A–Z)" },
  { value: "-days_in_milestone", label: "Longest in milestone" },
  { value: "-achieved_count", label: "Most milestones achieved" },
  { value: "-pending_approvals", label: "Most pending approvals" },
  { value: "-last_activity", label: "Most recent activity" },
  { value: "attention", label: "Most attention needed" },
];

export default function PortfolioPage() {
  const milestones = useMilestones();
  const [params, setParams] = useSearchParams();
  const me = useViewer();
  const settings = useSettings().data;
  // Coaches start on the companies that need them; admins on everything.
  const view = params.get("view") ?? (me.role === "coach" ? "attention" : "all");
  const attention = view === "attention";
  const q = params.get("q") ?? "";
  const sort: PortfolioSort =
    SORT_OPTIONS.find((o) => o.value === params.get("sort"))?.value ??
    (attention ? "attention" : "name");
  const milestoneParam = params.get("milestone");
  const milestone =
    milestones.isKey(milestoneParam) || milestoneParam === "all_achieved"
      ? milestoneParam
      : undefined;
  const page = Number(params.get("page") ?? "1") || 1;
  const [cohortId, setCohort] = useCohortParam();
  const [debouncedQ] = useDebouncedValue(q, 300);
  const filters: PortfolioParams = {
    q: debouncedQ || undefined,
    sort,
    milestone: milestone as PortfolioParams["milestone"],
    attention: attention || undefined,
    cohort_id: cohortId,
  };
  const portfolio = usePortfolio({ ...filters, page, page_size: 20 });
  const analytics = useMilestoneAnalytics(cohortId);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "page") next.delete("page");
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Portfolio"
        description="Every company you follow, where it stands and what waits for you."
        actions={<DownloadMenu report="portfolio" query={filters} />}
      />
      <Grid>
        <Grid.Col span={{ base: 12, xl: 8 }}>
          <Card>
            <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
              <SegmentedControl
                aria-label="Which companies"
                data={[
                  { value: "attention", label: "Needs attention" },
                  { value: "all", label: "All companies" },
                ]}
                value={view}
                onChange={(v) => set("view", v)}
              />
              <TextInput
                label="Search"
                placeholder="Company name"
                value={q}
                onChange={(e) => set("q", e.currentTarget.value)}
                style={{ flex: 1, minWidth: 180 }}
              />
              <Select
                label="Milestone"
                placeholder="All milestones"
                data={[...milestones.options, { value: "all_achieved", label: "All achieved" }]}
                value={milestone ?? null}
                onChange={(v) => set("milestone", v)}
                clearable
                w={{ base: "100%", xs: 180 }}
              />
              <CohortFilter value={cohortId} onChange={setCohort} />
              <Select
                label="Sort by"
                data={SORT_OPTIONS}
                value={sort}
                onChange={(v) => set("sort", v)}
                allowDeselect={false}
                w={{ base: "100%", xs: 210 }}
              />
            </Group>
            <PagedTable
              query={portfolio}
              loadingLabel="Loading portfolio…"
              label="Portfolio companies"
              minWidth={860}
              tableProps={{ striped: true, highlightOnHover: true, verticalSpacing: "sm" }}
              empty={
                attention && !q && !milestone && !cohortId ? (
                  <EmptyState title="No company needs attention">
                    None is stalled, waiting for a review or silent. “All companies” lists them all.
                  </EmptyState>
                ) : (
                  <EmptyState
                    title={q || milestone || cohortId ? "No company matches" : "No companies yet"}
                  >
                    {q || milestone || cohortId
                      ? "Try another search or filter."
                      : "Companies you are assigned to appear here."}
                  </EmptyState>
                )
              }
              rowKey={(row) => row.company_id}
              columns={[
                {
                  header: "Company",
                  cell: (row) => (
                    <Anchor component={Link} to={`/companies/${row.company_id}`} fw={500}>
                      {row.name}
                    </Anchor>
                  ),
                },
                {
                  header: "Current milestone",
                  cell: (row) => (
                    <>
                      <MilestoneBadge milestone={row.current_milestone} />
                      {row.suggested_milestone && (
                        <Tooltip label="Accepted evidence suggests it is reached: open the company to decide">
                          <Badge ml={6} size="sm" color="teal" variant="light">
                            Looks reached
                          </Badge>
                        </Tooltip>
                      )}
                    </>
                  ),
                  tdProps: { style: { whiteSpace: "nowrap" } },
                },
                {
                  header: "Attention",
                  cell: (row) => <AttentionBadges row={row} settings={settings} />,
                },
                {
                  header: "Days in it",
                  cell: (row) => <DaysCell row={row} settings={settings} />,
                },
                {
                  header: "Achieved",
                  cell: (row) => `${row.achieved_count} / ${milestones.catalogue.length}`,
                },
                {
                  header: "Tasks (done / all)",
                  cell: (row) => (
                    <>
                      {row.completed_tasks} / {row.total_tasks}
                      <Text span size="xs" c="dimmed">
                        {" "}
                        ({row.active_tasks} active)
                      </Text>
                    </>
                  ),
                },
                {
                  header: "Pending approvals",
                  cell: (row) =>
                    row.pending_approvals > 0 ? (
                      <Badge color="orange" variant="light">
                        {row.pending_approvals}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        0
                      </Text>
                    ),
                },
                {
                  header: "Last activity",
                  cell: (row) => <RelativeTime value={row.last_activity} fallback="No activity" />,
                },
              ]}
              pagination={{
                page,
                onChange: (p) => set("page", String(p)),
                label: "Portfolio pages",
              }}
            />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 4 }}>
          <Card>
            <Title order={2} size="h4" mb="sm">
              Milestone funnel
            </Title>
            <QueryBoundary query={analytics} loadingLabel="Loading funnel…">
              {(data) => <Funnel rows={data.milestones} />}
            </QueryBoundary>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
