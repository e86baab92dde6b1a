import { Badge, Group, Text, Tooltip } from "@mantine/core";
import { shortDate } from "@/lib/format";
import { type MilestoneNames, useMilestones } from "@/lib/milestones";
import type { ProgrammeSettings } from "@/lib/settings";
import type { PortfolioRow } from "@/lib/types";

const LABEL: Record<string, string> = {
  stalled: "Stalled",
  reviews_waiting: "Reviews waiting",
  inactive: "Inactive",
};
const COLOR: Record<string, string> = {
  stalled: "red",
  reviews_waiting: "orange",
  inactive: "gray",
};

/** Why the threshold is what it is: "threshold 90 = 1.5 x median 60". */
export function thresholdText(row: PortfolioRow, settings: ProgrammeSettings | undefined): string {
  const threshold = row.stall_threshold_days;
  if (threshold === null) return "All five milestones achieved: never stalled.";
  if (row.median_days === null)
    return `threshold ${threshold} = the minimum (no median yet: fewer than 3 companies achieved it)`;
  if (settings && threshold === settings.stall_min_days)
    return `threshold ${threshold} = the minimum (${settings.stall_factor} x median ${row.median_days} is less)`;
  const factor = settings ? `${settings.stall_factor} x ` : "";
  return `threshold ${threshold} = ${factor}median ${row.median_days}`;
}

export function reasonText(
  reason: string,
  row: PortfolioRow,
  settings: ProgrammeSettings | undefined,
  milestoneTitle: MilestoneNames["title"],
): string {
  if (reason === "stalled")
    return `${row.days_in_milestone} days in ${milestoneTitle(row.current_milestone)}; ${thresholdText(row, settings)}`;
  if (reason === "reviews_waiting")
    return `A review waits since ${shortDate(row.oldest_pending_at)}${settings ? ` (more than ${settings.stale_review_days} days)` : ""}`;
  return `No activity since ${shortDate(row.last_activity)}${settings ? ` (${settings.inactive_days} days or more)` : ""}`;
}

export function AttentionBadges({
  row,
  settings,
}: {
  row: PortfolioRow;
  settings: ProgrammeSettings | undefined;
}) {
  const { title: milestoneTitle } = useMilestones();
  if (row.attention.length === 0)
    return (
      <Text size="sm" c="dimmed">
        On track
      </Text>
    );
  return (
    <Group gap={4} wrap="nowrap">
      {row.attention.map((reason) => {
        const text = reasonText(reason, row, settings, milestoneTitle);
        return (
          <Tooltip
            key={reason}
            label={text}
            multiline
            w={260}
            events={{ hover: true, focus: true, touch: true }}
          >
            <Badge
              color={COLOR[reason]}
              variant="light"
              tabIndex={0}
              aria-label={`${LABEL[reason]}: ${text}`}
            >
              {LABEL[reason] ?? reason}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

/** Days in the current milestone, coloured against the stall threshold. */
export function DaysCell({
  row,
  settings,
}: {
  row: PortfolioRow;
  settings: ProgrammeSettings | undefined;
}) {
  const days = row.days_in_milestone;
  const threshold = row.stall_threshold_days;
  if (days === null || threshold === null) return <>{days ?? "—"}</>;
  const color = days >= threshold ? "red.8" : days >= threshold * 0.8 ? "orange.9" : undefined;
  return (
    <Tooltip
      label={thresholdText(row, settings)}
      multiline
      w={260}
      events={{ hover: true, focus: true, touch: true }}
    >
      <Text span size="sm" c={color} fw={color ? 600 : undefined} tabIndex={0}>
        {days}
      </Text>
    </Tooltip>
  );
}
