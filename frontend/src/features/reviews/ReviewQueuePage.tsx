import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  Paper,
  Stack,
  Text,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { PageHeader } from "@/components/PageHeader";
import { PaginationBar } from "@/components/PaginationBar";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { useRejectFlow } from "@/components/RejectFlow";
import { errorMessage } from "@/lib/errors";
import { useMilestones } from "@/lib/milestones";
import {
  type Decision,
  itemKey,
  type PendingItem,
  type ReviewResult,
  useBulkReview,
  usePendingReviews,
} from "./api";

const KIND_LABEL: Record<string, string> = { task: "Task", update: "Update", evidence: "Evidence" };

function age(days: number): string {
  return days === 0 ? "today" : days === 1 ? "1 day" : `${days} days`;
}

function groupByCompany(items: PendingItem[]) {
  const groups = new Map<number, { name: string; items: PendingItem[] }>();
  for (const item of items) {
    const group = groups.get(item.company_id) ?? { name: item.company_name, items: [] };
    group.items.push(item);
    groups.set(item.company_id, group);
  }
  return [...groups.entries()].map(([id, g]) => ({ id, ...g }));
}

function CompanyGroup({
  id,
  name,
  items,
  selected,
  onToggle,
  onToggleAll,
}: {
  id: number;
  name: string;
  items: PendingItem[];
  selected: Set<string>;
  onToggle: (item: PendingItem) => void;
  onToggleAll: (items: PendingItem[], on: boolean) => void;
}) {
  const { title: milestoneTitle } = useMilestones();
  const chosen = items.filter((i) => selected.has(itemKey(i))).length;
  return (
    <Card component="section" aria-label={`Waiting at ${name}`}>
      <Group justify="space-between" mb="sm">
        <Checkbox
          label={`Select all of ${name}`}
          checked={chosen === items.length}
          indeterminate={chosen > 0 && chosen < items.length}
          onChange={(e) => onToggleAll(items, e.currentTarget.checked)}
        />
        <Group gap="xs">
          <Anchor component={Link} to={`/companies/${id}`} fw={600}>
            {name}
          </Anchor>
          <Badge color="orange" variant="light">
            {items.length} waiting
          </Badge>
        </Group>
      </Group>
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {items.map((item) => (
          <Paper component="li" withBorder p="xs" key={itemKey(item)}>
            <Group align="flex-start" wrap="nowrap">
              <Checkbox
                aria-label={`Select ${KIND_LABEL[item.kind] ?? item.kind} “${item.title}”`}
                checked={selected.has(itemKey(item))}
                onChange={() => onToggle(item)}
                mt={2}
              />
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Group gap="xs">
                  <Badge size="sm" variant="outline">
                    {KIND_LABEL[item.kind] ?? item.kind}
                  </Badge>
                  <Text fw={500} lineClamp={1}>
                    {item.title}
                  </Text>
                </Group>
                <Text size="sm" c="dimmed">
                  {item.author_name} · {milestoneTitle(item.milestone)} · waiting{" "}
                  {age(item.age_days)}
                </Text>
                {item.excerpt && item.excerpt !== item.title && (
                  <Text size="sm" lineClamp={2}>
                    {item.excerpt}
                  </Text>
                )}
              </Stack>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Card>
  );
}

const OUTCOME_COLOR: Record<string, string> = {
  approved: "green",
  rejected: "orange",
  error: "red",
};

function Outcomes({ results, titles }: { results: ReviewResult[]; titles: Map<string, string> }) {
  const failed = results.filter((r) => r.outcome === "error").length;
  return (
    <Alert
      color={failed ? "yellow" : "green"}
      title={`${results.length - failed} of ${results.length} reviewed`}
      role="status"
    >
      <List size="sm" spacing={2}>
        {results.map((r) => (
          <List.Item key={itemKey(r)}>
            <Text span c={OUTCOME_COLOR[r.outcome]} fw={500}>
              {r.outcome}
            </Text>{" "}
            {titles.get(itemKey(r)) ?? `${r.kind} ${r.id}`}
            {r.message ? ` — ${r.message}` : ""}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function Queue({
  items,
  pagination,
  page,
  setPage,
}: {
  items: PendingItem[];
  pagination: Parameters<typeof PaginationBar>[0]["info"];
  page: number;
  setPage: (p: number) => void;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<ReviewResult[] | null>(null);
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  const bulk = useBulkReview();
  const groups = useMemo(() => groupByCompany(items), [items]);
  const chosen = items.filter((i) => selected.has(itemKey(i)));

  const toggle = (item: PendingItem) =>
    setSelected((s) => {
      const next = new Set(s);
      const key = itemKey(item);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const toggleAll = (group: PendingItem[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const item of group) {
        if (on) next.add(itemKey(item));
        else next.delete(itemKey(item));
      }
      return next;
    });

  const run = (decision: Decision, batch: PendingItem[], comment?: string) => {
    setTitles(new Map(batch.map((i) => [itemKey(i), i.title])));
    return bulk
      .mutateAsync({ decision, comment, items: batch.map((i) => ({ kind: i.kind, id: i.id })) })
      .then((data) => {
        setResults(data.results);
        setSelected(new Set());
      });
  };
  const rejectFlow = useRejectFlow<PendingItem[]>({
    title: (batch) => `Reject ${batch.length} item${batch.length === 1 ? "" : "s"}`,
    label: "Why are they rejected? (sent to every author)",
    confirmLabel: "Reject",
    reject: (batch, comment) => run("reject", batch, comment),
  });

  return (
    <Stack>
      {results && <Outcomes results={results} titles={titles} />}
      <Paper
        withBorder
        p="sm"
        pos="sticky"
        top={0}
        style={{ zIndex: 2 }}
        role="toolbar"
        aria-label="Review the selection"
      >
        <Group justify="space-between">
          <Text size="sm" aria-live="polite">
            {chosen.length} selected
          </Text>
          <Group gap="xs">
            <Button
              disabled={chosen.length === 0}
              loading={bulk.isPending}
              onClick={() =>
                run("approve", chosen).catch((e: unknown) =>
                  notifications.show({
                    title: "Not reviewed",
                    message: errorMessage(e),
                    color: "red",
                  }),
                )
              }
            >
              Approve selected
            </Button>
            <Button
              color="red"
              variant="light"
              disabled={chosen.length === 0 || bulk.isPending}
              onClick={() => rejectFlow.start(chosen)}
            >
              Reject selected
            </Button>
          </Group>
        </Group>
      </Paper>
      {groups.map((g) => (
        <CompanyGroup
          key={g.id}
          {...g}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
        />
      ))}
      <PaginationBar info={pagination} page={page} onChange={setPage} label="Queue pages" />
      {rejectFlow.dialog}
    </Stack>
  );
}

export default function ReviewQueuePage() {
  const [page, setPage] = useState(1);
  const pending = usePendingReviews(page);
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Everything waiting for your decision, oldest first: submitted tasks and pending progress updates."
      />
      <QueryBoundary query={pending} loadingLabel="Loading the review queue…">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="Nothing waits for you">
              Submitted tasks and pending progress updates appear here.
            </EmptyState>
          ) : (
            <Queue items={data.items} pagination={data.pagination} page={page} setPage={setPage} />
          )
        }
      </QueryBoundary>
    </>
  );
}
