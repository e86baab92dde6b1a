/** Names for the generated schema types, so features need not spell the schema paths. */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];

export type Role = Schemas["Role"];
export type User = Schemas["User"];
export type Me = Schemas["Me"];
export type Company = Schemas["Company"];
export type MilestoneKey = Schemas["MilestoneKey"];
export type Milestone = Schemas["Milestone"];
export type MilestoneStatus = Schemas["MilestoneStatus"];
export type CompanyMilestones = Schemas["CompanyMilestones"];
export type MilestoneMetrics = Schemas["MilestoneMetrics"];
export type CompanyMetrics = Schemas["CompanyMetrics"];
export type TrendPoint = Schemas["TrendPoint"];
export type HistoryItem = Schemas["HistoryItem"];
export type Evidence = Schemas["Evidence"];
export type EvidenceCreate = Schemas["EvidenceCreate"];
export type Task = Schemas["Task"];
export type TaskStatus = Schemas["TaskStatus"];
export type Update = Schemas["Update"];
export type UpdateStatus = Schemas["UpdateStatus"];
export type PortfolioRow = Schemas["PortfolioRow"];
export type MilestoneAnalytics = Schemas["MilestoneAnalytics"];
export type Stakeholder = Schemas["Stakeholder"];
export type OutboxMessage = Schemas["OutboxMessage"];
