/**
 * Names for the generated schema types, so features need not spell the schema paths.
 *
 * flask-smorest marks response fields dump_only without `required`, so the generated types
 * make every field optional although the API always sends them (null when empty). Complete<>
 * states that once, here, instead of `?.` everywhere.
 */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];

export type Complete<T> = T extends (infer U)[]
  ? Complete<U>[]
  : T extends readonly (infer U)[]
    ? Complete<U>[]
    : T extends object
      ? { -readonly [K in keyof T]-?: Complete<Exclude<T[K], undefined>> }
      : T;

export type User = Complete<Schemas["User"]>;
export type Me = Complete<Schemas["Me"]>;
export type Role = User["role"];
export type Company = Complete<Schemas["Company"]>;
export type Milestone = Complete<Schemas["Milestone"]>;
export type MilestoneMetrics = Complete<Schemas["MilestoneMetrics"]>;
export type MilestoneStatus = Complete<Schemas["MilestoneStatus"]>;
export type MilestoneKey = MilestoneStatus["milestone"];
export type CompanyMilestones = Complete<Schemas["CompanyMilestones"]>;
export type CompanyMetrics = Complete<Schemas["CompanyMetrics"]>;
export type TrendPoint = Complete<Schemas["TrendWeek"]>;
export type HistoryItem = Complete<Schemas["HistoryItem"]>;
export type Attachment = Complete<Schemas["Attachment"]>;
/** Evidence with its `attachment` typed (a nested schema the spec leaves untyped). */
export type Evidence = Omit<Complete<Schemas["Evidence"]>, "attachment"> & {
  attachment: Attachment | null;
};
export type EvidenceCreate = Schemas["EvidenceCreate"];
export type ReviewStatus = Evidence["review_status"];
export type MetricKey = NonNullable<Evidence["metric_key"]>;
export type StatusCriterion = MilestoneStatus["criteria"][number];
export type MetricSeries = Complete<Schemas["MetricSeriesItem"]>;
export type Task = Complete<Schemas["Task"]>;
export type TaskStatus = Task["status"];
export type Update = Complete<Schemas["Update"]>;
export type UpdateStatus = Update["status"];
export type PortfolioRow = Complete<Schemas["PortfolioRow"]>;
export type MilestoneAnalytics = Complete<Schemas["AnalyticsRow"]>;
export type Stakeholder = Complete<Schemas["Stakeholder"]>;
export type OutboxMessage = Complete<Schemas["OutboxMessage"]>;
export type Cohort = Complete<Schemas["Cohort"]>;
export type CohortAnalytics = Complete<Schemas["CohortAnalytics"]>;
export type ActivityItem = Complete<Schemas["ActivityItem"]>;
