import type { MilestoneKey } from "./types";

/** The fixed catalogue (SPEC.md), for labels before the API answers and for ordering. */
export const MILESTONES: { key: MilestoneKey; title: string }[] = [
  { key: "value_baseline", title: "Value Baseline" },
  { key: "first_customer", title: "First Customer" },
  { key: "x_customers", title: "X Customers" },
  { key: "ten_x_customers", title: "10X Customers" },
  { key: "one_m_arr", title: "$1M ARR" },
];

export function milestoneTitle(key: string | null | undefined): string {
  if (!key) return "All achieved";
  return MILESTONES.find((m) => m.key === key)?.title ?? key;
}

export function isMilestoneKey(value: string | null | undefined): value is MilestoneKey {
  return MILESTONES.some((m) => m.key === value);
}

export const MILESTONE_OPTIONS = MILESTONES.map((m) => ({ value: m.key, label: m.title }));
