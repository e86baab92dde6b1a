import type { Me } from "./types";

/**
 * The UI mirrors the API's rules from the abilities GET /auth/me lists for the role
 * (backend auth/abilities.py); the server enforces them. No role is tested here.
 */
export type Ability = Me["abilities"][number];
/** The per-company actions (policies.Action in the backend). */
export type CompanyAction =
  | "view"
  | "toggle"
  | "manage_evidence"
  | "propose_evidence"
  | "create_task"
  | "submit_task"
  | "review"
  | "post_update"
  | "manage_stakeholders"
  | "manage_company"
  | "share";

export type Viewer = Pick<Me, "id" | "abilities" | "company_ids">;

/** The role may do `ability` (on some company, for a company action). */
export function may(me: Viewer | null | undefined, ability: Ability): boolean {
  return !!me && me.abilities.includes(ability);
}

/** The role may do `action` on this company: on its own companies, or on every one. */
export function mayOn(
  me: Viewer | null | undefined,
  companyId: number,
  action: CompanyAction,
): boolean {
  return (
    !!me && may(me, action) && (may(me, "view_all_companies") || me.company_ids.includes(companyId))
  );
}

/** Whoever manages evidence removes any item; a proposer only their own proposed item. */
export function mayRemoveEvidence(
  me: Viewer | null | undefined,
  companyId: number,
  item: { created_by: number; review_status: string },
): boolean {
  return (
    mayOn(me, companyId, "manage_evidence") ||
    (mayOn(me, companyId, "propose_evidence") &&
      item.created_by === me?.id &&
      item.review_status === "proposed")
  );
}
