import type { Me } from "./types";

/** The UI mirrors the API's policies (SPEC.md access rules); the server enforces them. */
export type Viewer = Pick<Me, "id" | "role" | "company_ids">;

function assignedCoach(me: Viewer | null | undefined, companyId: number): boolean {
  return !!me && me.role === "coach" && me.company_ids.includes(companyId);
}

function memberOf(me: Viewer | null | undefined, companyId: number): boolean {
  return !!me && me.role === "member" && me.company_ids.includes(companyId);
}

export const can = {
  toggleMilestone: assignedCoach,
  manageEvidence: assignedCoach,
  /** Members add evidence too: theirs is proposed until a coach accepts it. */
  proposeEvidence: (me: Viewer | null | undefined, companyId: number) =>
    assignedCoach(me, companyId) || memberOf(me, companyId),
  reviewEvidence: assignedCoach,
  checkCriteria: assignedCoach,
  /** A coach removes any item; a member only their own proposed item. */
  removeEvidence: (
    me: Viewer | null | undefined,
    companyId: number,
    item: { created_by: number; review_status: string },
  ) =>
    assignedCoach(me, companyId) ||
    (memberOf(me, companyId) && item.created_by === me?.id && item.review_status === "proposed"),
  reviewTasks: assignedCoach,
  reviewUpdates: assignedCoach,
  cancelTask: assignedCoach,
  createTask: (me: Viewer | null | undefined, companyId: number) =>
    assignedCoach(me, companyId) || memberOf(me, companyId),
  submitTask: (me: Viewer | null | undefined, companyId: number) =>
    assignedCoach(me, companyId) || memberOf(me, companyId),
  postUpdate: (me: Viewer | null | undefined, companyId: number) =>
    assignedCoach(me, companyId) || memberOf(me, companyId),
  manageStakeholders: (me: Viewer | null | undefined, companyId: number) =>
    !!me && (me.role === "admin" || assignedCoach(me, companyId)),
  seePortfolio: (me: Viewer | null | undefined) =>
    !!me && (me.role === "coach" || me.role === "admin"),
  seeApprovals: (me: Viewer | null | undefined) => !!me && me.role === "coach",
  admin: (me: Viewer | null | undefined) => !!me && me.role === "admin",
};
