import { Badge } from "@mantine/core";
import { milestoneTitle } from "@/lib/milestones";

const STATUS_COLORS: Record<string, string> = {
  open: "blue",
  submitted: "yellow",
  approved: "green",
  cancelled: "gray",
  pending: "yellow",
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
      {status}
    </Badge>
  );
}

export function MilestoneBadge({ milestone }: { milestone: string | null | undefined }) {
  return (
    <Badge color={milestone ? "indigo" : "green"} variant="outline">
      {milestoneTitle(milestone)}
    </Badge>
  );
}
