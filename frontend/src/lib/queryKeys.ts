/**
 * Every TanStack Query key is built here, so queries and invalidations cannot drift apart.
 * Keys nest: invalidating `companies.detail(id)` refreshes everything under that company
 * (milestones, evidence, tasks, updates, history, metrics, stakeholders, share links).
 */
import type { MilestoneKey, ReviewStatus } from "./types";

const company = (id: number) => ["companies", id] as const;

export const queryKeys = {
  me: () => ["auth", "me"] as const,
  preferences: () => ["auth", "me", "preferences"] as const,
  /** The milestone catalogue (GET /milestones): fixed, read once per session. */
  catalogue: () => ["milestones", "catalogue"] as const,
  companies: {
    all: () => ["companies"] as const,
    lists: () => ["companies", "list"] as const,
    list: (params: object = {}) => ["companies", "list", params] as const,
    detail: company,
    milestones: (id: number) => [...company(id), "milestones"] as const,
    evidence: (id: number, key: MilestoneKey) => [...company(id), "evidence", key] as const,
    proposals: (id: number, status?: ReviewStatus) =>
      [...company(id), "proposals", status ?? "all"] as const,
    metrics: (id: number) => [...company(id), "metrics"] as const,
    metricSeries: (id: number) => [...company(id), "metric-series"] as const,
    history: (id: number, filters: object) => [...company(id), "history", filters] as const,
    tasks: (id: number, filters: object) => [...company(id), "tasks", filters] as const,
    updates: (id: number, filters: object) => [...company(id), "updates", filters] as const,
    stakeholders: (id: number) => [...company(id), "stakeholders"] as const,
    shareLinks: (id: number) => [...company(id), "share-links"] as const,
  },
  portfolio: {
    all: () => ["portfolio"] as const,
    list: (params: object) => ["portfolio", params] as const,
  },
  analytics: {
    all: () => ["analytics"] as const,
    milestones: (cohortId?: number) =>
      ["analytics", "milestones", { cohort_id: cohortId }] as const,
    cohorts: () => ["analytics", "cohorts"] as const,
  },
  activity: {
    all: () => ["activity"] as const,
    list: (params: object) => ["activity", params] as const,
  },
  reviews: {
    all: () => ["reviews"] as const,
    pending: (page: number) => ["reviews", "pending", page] as const,
  },
  users: {
    all: () => ["users"] as const,
    list: (params: object) => ["users", params] as const,
  },
  outbox: {
    all: () => ["outbox"] as const,
    list: (params: object) => ["outbox", params] as const,
  },
  cohorts: {
    all: () => ["cohorts"] as const,
    list: () => ["cohorts", "list"] as const,
  },
  settings: () => ["settings"] as const,
  webhooks: {
    all: () => ["webhooks"] as const,
    list: () => ["webhooks", "list"] as const,
    detail: (id: number) => ["webhooks", id] as const,
    deliveries: (id: number, page: number) => ["webhooks", id, "deliveries", page] as const,
  },
  shared: (token: string) => ["shared", token] as const,
};
