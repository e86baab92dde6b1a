import { describe, expect, it } from "vitest";
import { can } from "./permissions";

const coach = { id: 1, role: "coach" as const, company_ids: [7] };
const member = { id: 2, role: "member" as const, company_ids: [7] };
const admin = { id: 3, role: "admin" as const, company_ids: [] };

describe("permissions mirror", () => {
  it("only an assigned coach toggles and reviews", () => {
    expect(can.toggleMilestone(coach, 7)).toBe(true);
    expect(can.toggleMilestone(coach, 8)).toBe(false);
    expect(can.toggleMilestone(member, 7)).toBe(false);
    expect(can.toggleMilestone(admin, 7)).toBe(false);
    expect(can.reviewUpdates(member, 7)).toBe(false);
  });

  it("members post updates and submit tasks for their own company only", () => {
    expect(can.postUpdate(member, 7)).toBe(true);
    expect(can.postUpdate(member, 8)).toBe(false);
    expect(can.submitTask(member, 7)).toBe(true);
    expect(can.postUpdate(admin, 7)).toBe(false);
  });

  it("stakeholders: admin or assigned coach", () => {
    expect(can.manageStakeholders(admin, 7)).toBe(true);
    expect(can.manageStakeholders(coach, 7)).toBe(true);
    expect(can.manageStakeholders(member, 7)).toBe(false);
  });
});
