import { describe, expect, it } from "vitest";
import { admin, coach, member } from "@/test/utils";
import { may, mayOn, mayRemoveEvidence } from "./abilities";

describe("abilities from /auth/me", () => {
  it("company actions on the user's own companies only, unless the role sees all", () => {
    expect(mayOn(coach, 7, "toggle")).toBe(true);
    expect(mayOn(coach, 8, "toggle")).toBe(false);
    expect(mayOn(member, 7, "toggle")).toBe(false);
    expect(mayOn(admin, 7, "toggle")).toBe(false);
    expect(mayOn(member, 7, "post_update")).toBe(true);
    expect(mayOn(member, 8, "post_update")).toBe(false);
    expect(mayOn(admin, 7, "post_update")).toBe(false);
    expect(mayOn(member, 7, "review")).toBe(false);
  });

  it("stakeholders: admin on any company, a coach on theirs", () => {
    expect(mayOn(admin, 123, "manage_stakeholders")).toBe(true);
    expect(mayOn(coach, 7, "manage_stakeholders")).toBe(true);
    expect(mayOn(coach, 123, "manage_stakeholders")).toBe(false);
    expect(mayOn(member, 7, "manage_stakeholders")).toBe(false);
  });

  it("role-only abilities and nobody signed in", () => {
    expect(may(admin, "manage_users")).toBe(true);
    expect(may(coach, "manage_users")).toBe(false);
    expect(may(coach, "view_portfolio")).toBe(true);
    expect(may(member, "view_portfolio")).toBe(false);
    expect(may(null, "view")).toBe(false);
    expect(mayOn(undefined, 7, "view")).toBe(false);
  });

  it("a member removes only their own proposed evidence; a coach any", () => {
    const own = { created_by: member.id, review_status: "proposed" };
    expect(mayRemoveEvidence(member, 7, own)).toBe(true);
    expect(mayRemoveEvidence(member, 7, { ...own, review_status: "accepted" })).toBe(false);
    expect(mayRemoveEvidence(member, 7, { ...own, created_by: coach.id })).toBe(false);
    expect(mayRemoveEvidence(coach, 7, { ...own, review_status: "accepted" })).toBe(true);
  });
});
