import { Stack, Tabs, Text } from "@mantine/core";
import { lazy, Suspense } from "react";
import { useParams, useSearchParams } from "react-router";
import { NotFound } from "@/app/NotFound";
import { MilestoneBadge } from "@/components/Badges";
import { PageHeader } from "@/components/PageHeader";
import { ErrorState, LoadingState } from "@/components/QueryState";
import { useCompanyMilestones } from "@/features/company/api";
import { MetricsPanel } from "@/features/company/MetricsPanel";
import { MilestoneDetail } from "@/features/company/MilestoneDetail";
import { MilestoneTrack } from "@/features/company/MilestoneTrack";
import { HistoryTimeline } from "@/features/history/HistoryTimeline";
import { TasksPanel } from "@/features/tasks/TasksPanel";
import { UpdatesPanel } from "@/features/updates/UpdatesPanel";
import { mayOn } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";
import { useCompany } from "@/lib/companies";
import { ApiError } from "@/lib/errors";
import type { MilestoneKey } from "@/lib/types";

const StakeholdersPanel = lazy(() => import("@/features/admin/StakeholdersPanel"));
const SharePanel = lazy(() => import("@/features/sharing/SharePanel"));

const TABS = [
  "milestone",
  "tasks",
  "updates",
  "history",
  "metrics",
  "stakeholders",
  "share",
] as const;
const STAFF_TABS: readonly string[] = ["stakeholders", "share"];

export default function CompanyPage() {
  const params = useParams();
  const companyId = Number(params.companyId);
  const me = useViewer();
  const [search, setSearch] = useSearchParams();
  const company = useCompany(companyId);
  const milestones = useCompanyMilestones(companyId);

  if (!Number.isInteger(companyId)) return <NotFound />;
  if (company.error instanceof ApiError && company.error.status === 404) return <NotFound />;
  if (company.isPending || milestones.isPending) return <LoadingState label="Loading company…" />;
  if (company.error || milestones.error || !company.data || !milestones.data) {
    return (
      <ErrorState
        error={company.error ?? milestones.error}
        onRetry={() => {
          company.refetch();
          milestones.refetch();
        }}
      />
    );
  }

  const statuses = milestones.data.milestones;
  const requested = search.get("m");
  // The requested milestone, else the current one, else the last (all achieved).
  const status =
    statuses.find((s) => s.milestone === requested) ??
    statuses.find((s) => s.milestone === milestones.data.current_milestone) ??
    statuses[statuses.length - 1];
  if (!status) return <NotFound />;
  const selected: MilestoneKey = status.milestone;
  const showStakeholders = mayOn(me, companyId, "manage_stakeholders");
  const tabParam = search.get("tab");
  const tab =
    TABS.includes(tabParam as (typeof TABS)[number]) &&
    (!STAFF_TABS.includes(tabParam ?? "") || showStakeholders)
      ? tabParam
      : "milestone";

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(key, value);
    setSearch(next, { replace: true });
  };

  return (
    <Stack>
      <PageHeader
        title={company.data.name}
        description={
          <>
            {company.data.description && <Text span>{company.data.description} · </Text>}
            Current milestone: <MilestoneBadge milestone={milestones.data.current_milestone} />
            {me.role === "member" && (
              <Text span size="sm" c="dimmed">
                {" "}
                · read-only view
              </Text>
            )}
          </>
        }
      />
      <MilestoneTrack milestones={statuses} selected={selected} onSelect={(k) => update("m", k)} />
      <Tabs value={tab} onChange={(v) => v && update("tab", v)} keepMounted={false}>
        <Tabs.List style={{ overflowX: "auto", flexWrap: "nowrap" }}>
          <Tabs.Tab value="milestone">Milestone</Tabs.Tab>
          <Tabs.Tab value="tasks">Tasks</Tabs.Tab>
          <Tabs.Tab value="updates">Updates</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics</Tabs.Tab>
          {showStakeholders && <Tabs.Tab value="stakeholders">Stakeholders</Tabs.Tab>}
          {showStakeholders && <Tabs.Tab value="share">Share</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="milestone" pt="md">
          <MilestoneDetail companyId={companyId} status={status} />
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md">
          <TasksPanel companyId={companyId} milestone={selected} />
        </Tabs.Panel>
        <Tabs.Panel value="updates" pt="md">
          <UpdatesPanel companyId={companyId} milestone={selected} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryTimeline companyId={companyId} />
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          <MetricsPanel companyId={companyId} milestone={selected} />
        </Tabs.Panel>
        {showStakeholders && (
          <Tabs.Panel value="stakeholders" pt="md">
            <Suspense fallback={<LoadingState />}>
              <StakeholdersPanel companyId={companyId} />
            </Suspense>
          </Tabs.Panel>
        )}
        {showStakeholders && (
          <Tabs.Panel value="share" pt="md">
            <Suspense fallback={<LoadingState />}>
              <SharePanel companyId={companyId} />
            </Suspense>
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
