import type { MilestoneNames } from "./milestones";
import type { HistoryItem } from "./types";

/** One line for a history event (the company's timeline, the activity page). */
function evidenceTitle(item: HistoryItem): string {
  const title = (item as { evidence_title?: unknown }).evidence_title;
  return typeof title === "string" && title ? ` “${title}”` : "";
}

export function describeEvent(item: HistoryItem, title: MilestoneNames["title"]): string {
  const m = title(item.milestone);
  switch (item.event) {
    case "toggled":
      return item.achieved ? `${m} achieved` : `${m} reverted to not achieved`;
    case "evidence_added":
      return `Evidence${evidenceTitle(item)} added to ${m}`;
    case "evidence_removed":
      return `Evidence${evidenceTitle(item)} removed from ${m}`;
    case "evidence_proposed":
      return `Evidence${evidenceTitle(item)} proposed for ${m}`;
    case "evidence_accepted":
      return `Evidence${evidenceTitle(item)} accepted for ${m}`;
    case "evidence_rejected":
      return `Evidence${evidenceTitle(item)} rejected for ${m}`;
    case "criterion_checked": {
      const text = (item.criterion ?? "criterion").replaceAll("_", " ");
      return item.achieved ? `${m}: “${text}” met` : `${m}: “${text}” marked not met`;
    }
    default:
      return `${m}: ${item.event}`;
  }
}
