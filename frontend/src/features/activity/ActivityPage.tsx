import { Anchor, Card, Group, Select, Text, TextInput } from "@mantine/core";
import { Link, useSearchParams } from "react-router";
import { DownloadMenu } from "@/components/DownloadMenu";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState } from "@/components/QueryState";
import { RelativeTime } from "@/components/RelativeTime";
import { useCompanies } from "@/lib/companies";
import { describeEvent } from "@/lib/history";
import { useMilestones } from "@/lib/milestones";
import type { HistoryItem } from "@/lib/types";
import { type ActivityEvent, useActivity } from "./api";

const EVENT_OPTIONS: { value: ActivityEvent; label: string }[] = [
  { value: "toggled", label: "Milestone changed" },
  { value: "evidence_added", label: "Evidence added" },
  { value: "evidence_removed", label: "Evidence removed" },
];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export default function ActivityPage() {
  const milestones = useMilestones();
  const [params, setParams] = useSearchParams();
  const companyParam = Number(params.get("company"));
  const companyId = Number.isInteger(companyParam) && companyParam > 0 ? companyParam : undefined;
  const event = EVENT_OPTIONS.find((o) => o.value === params.get("event"))?.value;
  const milestoneParam = params.get("milestone");
  const milestone = milestones.isKey(milestoneParam) ? milestoneParam : undefined;
  const since = DAY.test(params.get("since") ?? "") ? (params.get("since") as string) : undefined;
  const until = DAY.test(params.get("until") ?? "") ? (params.get("until") as string) : undefined;
  const page = Number(params.get("page") ?? "1") || 1;
  const filters = { company_id: companyId, event, milestone, since, until };
  const activity = useActivity({ ...filters, page, page_size: 25 });
  const companies = useCompanies({ page_size: 200 });

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "page") next.delete("page");
    setParams(next, { replace: true });
  };
  const filtered = Object.values(filters).some((v) => v != null);

  return (
    <>
      <PageHeader
        title="Activity"
        description="Every milestone change and evidence event of your companies, newest first."
        actions={<DownloadMenu report="activity" query={filters} />}
      />
      <Card>
        <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
          <Select
            label="Company"
            placeholder="All companies"
            data={(companies.data?.items ?? []).map((c) => ({
              value: String(c.id),
              label: c.name,
            }))}
            value={companyId == null ? null : String(companyId)}
            onChange={(v) => set("company", v)}
            searchable
            clearable
            w={{ base: "100%", xs: 220 }}
          />
          <Select
            label="Event"
            placeholder="All events"
            data={EVENT_OPTIONS}
            value={event ?? null}
            onChange={(v) => set("event", v)}
            clearable
            w={{ base: "100%", xs: 190 }}
          />
          <Select
            label="Milestone"
            placeholder="All milestones"
            data={milestones.options}
            value={milestone ?? null}
            onChange={(v) => set("milestone", v)}
            clearable
            w={{ base: "100%", xs: 180 }}
          />
          <TextInput
            label="From"
            type="date"
            value={since ?? ""}
            onChange={(e) => set("since", e.currentTarget.value)}
            w={{ base: "100%", xs: 160 }}
          />
          <TextInput
            label="Until (included)"
            type="date"
            value={until ?? ""}
            onChange={(e) => set("until", e.currentTarget.value)}
            w={{ base: "100%", xs: 160 }}
          />
        </Group>
        <PagedTable
          query={activity}
          loadingLabel="Loading activity…"
          label="Activity"
          minWidth={720}
          tableProps={{ striped: true, verticalSpacing: "sm" }}
          empty={
            <EmptyState title={filtered ? "No event matches" : "No activity yet"}>
              {filtered
                ? "Try other filters."
                : "Milestone changes and evidence of your companies appear here."}
            </EmptyState>
          }
          rowKey={(item) => item.id}
          columns={[
            {
              header: "When",
              cell: (item) => <RelativeTime value={item.created_at} />,
              tdProps: { style: { whiteSpace: "nowrap" } },
            },
            {
              header: "Company",
              cell: (item) => (
                <Anchor component={Link} to={`/companies/${item.company_id}`}>
                  {item.company_name}
                </Anchor>
              ),
            },
            {
              header: "What",
              cell: (item) => describeEvent(item as unknown as HistoryItem, milestones.title),
            },
            { header: "Who", cell: (item) => item.actor_name },
            {
              header: "Reason",
              cell: (item) => (
                <Text size="sm" lineClamp={2}>
                  {item.reason ?? "—"}
                </Text>
              ),
            },
          ]}
          pagination={{
            page,
            onChange: (p) => set("page", String(p)),
            label: "Activity pages",
          }}
        />
      </Card>
    </>
  );
}
