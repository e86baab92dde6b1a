import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { Me } from "@/lib/types";
import { admin, coach, member, metrics, mockApi, renderWithApp, status } from "@/test/utils";
import CompanyPage from "./CompanyPage";

const task = (id: number, title: string, s: string) => ({
  id,
  company_id: 7,
  milestone: "first_customer",
  title,
  description: null,
  status: s,
  created_by: 3,
  created_at: "2026-11-01T10:00:00Z",
  submitted_at: s === "submitted" ? "2026-11-02T10:00:00Z" : null,
  completed_at: null,
});

function api(overrides: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    "GET /api/v1/companies/7": {
      body: {
        id: 7,
        name: "Acme Robotics",
        description: "Warehouse robots",
        joined_at: "2026-09-01T09:00:00Z",
        current_milestone: "first_customer",
      },
    },
    "GET /api/v1/companies/7/milestones": {
      body: {
        current_milestone: "first_customer",
        milestones: [status("value_baseline"), status("first_customer")],
      },
    },
    "GET /api/v1/companies/7/milestones/first_customer/evidence": {
      body: [
        {
          id: 31,
          milestone: "first_customer",
          evidence_type: "link",
          title: "Signed LOI",
          description: null,
          url: "https://example.org/loi",
          criterion: "signed_contract",
          metric_value: null,
          metric_unit: null,
          attachment: null,
          created_by: 2,
          created_by_name: "Casey Coach",
          created_at: "2026-11-03T10:00:00Z",
          review_status: "accepted",
          reviewed_by: null,
          reviewed_by_name: null,
          reviewed_at: null,
          review_comment: null,
        },
      ],
    },
    "GET /api/v1/companies/7/evidence-proposals": {
      body: [
        {
          id: 32,
          milestone: "first_customer",
          evidence_type: "link",
          title: "Unsigned draft",
          description: "",
          url: "https://example.org/draft",
          criterion: null,
          metric_value: null,
          metric_unit: null,
          metric_key: null,
          attachment: null,
          created_by: 3,
          created_by_name: "Finn Founder",
          created_at: "2026-11-03T10:00:00Z",
          review_status: "rejected",
          reviewed_by: 2,
          reviewed_by_name: "Casey Coach",
          reviewed_at: "2026-11-04T10:00:00Z",
          review_comment: "Needs the customer's signature",
        },
      ],
    },
    "GET /api/v1/companies/7/tasks": {
      body: [task(1, "Write pricing page", "open"), task(2, "Close pilot deal", "submitted")],
      headers: { "X-Pagination": JSON.stringify({ total: 2, total_pages: 1, page: 1 }) },
    },
    "GET /api/v1/companies/7/updates": {
      body: [
        {
          id: 5,
          company_id: 7,
          milestone: "first_customer",
          task_id: null,
          body: "Pilot went live",
          status: "pending",
          created_by: 3,
          created_at: "2026-11-04T10:00:00Z",
          reviewed_by: null,
          reviewed_at: null,
          review_comment: null,
        },
      ],
    },
    "GET /api/v1/companies/7/metrics": {
      body: { milestones: [metrics("first_customer", 12)], trend: [] },
    },
    "GET /api/v1/companies/7/stakeholders": { body: [] },
    ...overrides,
  });
}

function renderAs(me: Me, tab = "milestone") {
  return renderWithApp(<CompanyPage />, {
    me,
    path: `/companies/7?tab=${tab}`,
    routePath: "/companies/:companyId",
  });
}

beforeEach(() => {
  api();
});

describe("company page permissions", () => {
  it("member proposes evidence on the current milestone but toggles, ticks and reviews nothing", async () => {
    renderAs(member);
    expect(await screen.findByRole("heading", { name: "Acme Robotics" })).toBeInTheDocument();
    const evidence = await screen.findByRole("list", { name: "Evidence" });
    expect(within(evidence).getByRole("link", { name: "Signed LOI" })).toHaveAttribute(
      "href",
      "https://example.org/loi",
    );
    const criteria = screen.getByRole("list", { name: "Criteria for First Customer" });
    expect(within(criteria).getByText(/Not met yet · 1 accepted evidence/)).toBeInTheDocument();
    expect(within(criteria).getAllByText(/Not met yet · 0 accepted evidence/)).toHaveLength(3);
    expect(within(criteria).queryByRole("checkbox")).not.toBeInTheDocument();
    // Their proposals, with the coach's decision and comment.
    const proposals = await screen.findByRole("list", { name: "Proposed evidence" });
    expect(proposals).toHaveTextContent("Unsigned draft");
    expect(proposals).toHaveTextContent("Rejected");
    expect(proposals).toHaveTextContent("Needs the customer's signature");
    expect(screen.getByText("Add evidence for your coach to review")).toBeInTheDocument();
    // The upload form is its own chunk, loaded after the page.
    expect(await screen.findByRole("button", { name: "Upload document" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Accept evidence/ })).not.toBeInTheDocument();
    expect(screen.getByText(/read-only view/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Mark as achieved/ })).not.toBeInTheDocument();
    expect(
      screen.queryByRole("button", { name: /Revert to not achieved/ }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove evidence/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: "Stakeholders" })).not.toBeInTheDocument();
  });

  it("assigned coach gets the toggle and evidence controls", async () => {
    renderAs(coach);
    expect(await screen.findByRole("button", { name: "Mark as achieved…" })).toBeInTheDocument();
    expect(
      await screen.findByRole("button", { name: "Remove evidence Signed LOI" }),
    ).toBeInTheDocument();
    // The upload form is its own chunk, loaded after the page.
    expect(await screen.findByRole("button", { name: "Upload document" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Stakeholders" })).toBeInTheDocument();
    expect(screen.queryByText(/read-only view/)).not.toBeInTheDocument();
  });

  it("coach of another company gets no coach controls", async () => {
    renderAs({ ...coach, company_ids: [8] });
    expect(await screen.findByRole("list", { name: "Evidence" })).toHaveTextContent("Signed LOI");
    expect(screen.queryByRole("button", { name: /Mark as achieved/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove evidence/ })).not.toBeInTheDocument();
  });

  it("admin reads everything and changes no milestone", async () => {
    renderAs(admin);
    expect(await screen.findByRole("list", { name: "Evidence" })).toHaveTextContent("Signed LOI");
    expect(screen.queryByRole("button", { name: /Mark as achieved/ })).not.toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Stakeholders" })).toBeInTheDocument();
  });

  it("member may submit an open task but not approve a submitted one", async () => {
    renderAs(member, "tasks");
    const list = await screen.findByRole("list", { name: "Tasks" });
    expect(within(list).getByText("Close pilot deal")).toBeInTheDocument();
    expect(
      within(list).getByRole("button", { name: "Submit task Write pricing page for approval" }),
    ).toBeInTheDocument();
    expect(within(list).queryByRole("button", { name: /^Approve/ })).not.toBeInTheDocument();
    expect(within(list).queryByRole("button", { name: /^Reject/ })).not.toBeInTheDocument();
    expect(within(list).queryByRole("button", { name: /^Cancel task/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New task" })).toBeInTheDocument();
  });

  it("coach may approve, reject and cancel tasks", async () => {
    renderAs(coach, "tasks");
    const list = await screen.findByRole("list", { name: "Tasks" });
    expect(
      within(list).getByRole("button", { name: "Approve task Close pilot deal" }),
    ).toBeInTheDocument();
    expect(
      within(list).getByRole("button", { name: "Reject task Close pilot deal" }),
    ).toBeInTheDocument();
    expect(
      within(list).getByRole("button", { name: "Cancel task Write pricing page" }),
    ).toBeInTheDocument();
  });

  it("member may post an update but not review one; coach may review", async () => {
    const view = renderAs(member, "updates");
    expect(await screen.findByText("Pilot went live")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Post update" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Approve update/ })).not.toBeInTheDocument();
    view.unmount();

    renderAs(coach, "updates");
    expect(await screen.findByText("Pilot went live")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Approve update/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /^Reject update/ })).toBeInTheDocument();
  });

  it("coach's reject asks for a comment and sends it", async () => {
    const { calls } = api({
      "GET /api/v1/companies/7/tasks": {
        body: [task(2, "Close pilot deal", "submitted")],
      },
      "POST /api/v1/tasks/2/reject": { body: task(2, "Close pilot deal", "open") },
    });
    renderAs(coach, "tasks");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Reject task Close pilot deal" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Reject task" }));
    expect(await within(dialog).findByText("Please write a comment")).toBeInTheDocument();
    await user.type(within(dialog).getByRole("textbox"), "Attach the signed contract");
    await user.click(within(dialog).getByRole("button", { name: "Reject task" }));
    await screen.findByText("Close pilot deal");
    const post = calls.find((c) => c.method === "POST");
    expect(post?.path).toBe("/api/v1/tasks/2/reject");
    expect(post?.body).toEqual({ comment: "Attach the signed contract" });
  });

  it("shows the milestone track with states", async () => {
    renderAs(member);
    expect(
      await screen.findByRole("button", { name: "1. Value Baseline: Achieved" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "2. First Customer: Current" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  });
});
