import { Badge } from "@mantine/core";
import { useMilestones } from "@/lib/milestones";

const STATUS_COLORS: Record<string, string> = {
  open: "blue",
  submitted: "orange",
  approved: "green",
  cancelled: "gray",
  pending: "orange",
  rejected: "red",
  sent: "green",
  failed: "red",
  achieved: "green",
  current: "blue",
  upcoming: "gray",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? "gray"} variant="light">
      {status.charAt(0).toUpperCase() + status.slice(1)}
    </Badge>
  );
}

export function MilestoneBadge({ milestone }: { milestone: string | null | undefined }) {
  const { title: milestoneTitle } = useMilestones();
  return (
    <Badge
      color={milestone ? "indigo" : "green"}
      variant="outline"
      tt="none"
      style={{ flexShrink: 0 }}
    >
      {milestoneTitle(milestone)}
    </Badge>
  );
}
