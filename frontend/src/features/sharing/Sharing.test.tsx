import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithApp } from "@/test/utils";
import SharedPage from "./SharedPage";
import SharePanel from "./SharePanel";

const milestone = (key: string, title: string, state: string, extra: object = {}) => ({
  milestone: key,
  title,
  state,
  started_at: null,
  achieved_at: null,
  days_in_milestone: 0,
  evidence: [],
  ...extra,
});

const PAGE = {
  company: {
    name: "Zephyr Robotics",
    description: "Warehouse robots",
    current_milestone: "first_customer",
  },
  milestones: [
    milestone("value_baseline", "Value Baseline", "achieved", {
      achieved_at: "2026-02-20T09:00:00+00:00",
      days_in_milestone: 10,
      evidence: [
        {
          title: "Pricing page",
          evidence_type: "link",
          url: "https://zephyr.example/pricing",
          metric_key: null,
          metric_value: null,
          metric_unit: null,
          created_at: "2026-02-20T09:00:00+00:00",
        },
      ],
    }),
    milestone("first_customer", "First Customer", "current", { days_in_milestone: 4 }),
    milestone("x_customers", "X Customers", "upcoming"),
    milestone("ten_x_customers", "10X Customers", "upcoming"),
    milestone("one_m_arr", "$1M ARR", "upcoming"),
  ],
  achievements: [
    { milestone: "value_baseline", achieved: true, created_at: "2026-02-20T09:00:00+00:00" },
  ],
  include_reasons: false,
};

describe("SharedPage", () => {
  it("shows the track, evidence links without referrer, and achievements, signed out", async () => {
    const { calls } = mockApi({ "GET /api/v1/shared/tok-1": { body: PAGE } });
    renderWithApp(<SharedPage />, { me: null, path: "/shared/tok-1", routePath: "/shared/:token" });
    expect(await screen.findByRole("heading", { name: "Zephyr Robotics" })).toBeInTheDocument();
    expect(screen.getByText("Reached 20 Feb 2026 after 10 days")).toBeInTheDocument();
    expect(screen.getByText("In progress for 4 days")).toBeInTheDocument();
    const link = screen.getByRole("link", { name: "Pricing page" });
    expect(link).toHaveAttribute("href", "https://zephyr.example/pricing");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
    expect(screen.getByText("Value Baseline reached")).toBeInTheDocument();
    expect(document.querySelector('meta[name="referrer"]')).toHaveAttribute(
      "content",
      "no-referrer",
    );
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /api/v1/shared/tok-1"]);
  });

  it("explains a link that no longer works", async () => {
    mockApi({
      "GET /api/v1/shared/gone": {
        status: 404,
        body: {
          code: "not_shared",
          message: "This link is not valid, has expired or was revoked.",
        },
      },
    });
    renderWithApp(<SharedPage />, { me: null, path: "/shared/gone", routePath: "/shared/:token" });
    expect(await screen.findByText("This link does not work")).toBeInTheDocument();
  });
});

describe("SharePanel", () => {
  it("creates a link, shows it once to copy, and lists it with its views", async () => {
    let listed: object[] = [];
    const { calls } = mockApi({
      "GET /api/v1/companies/7/share-links": () => ({ body: listed }),
      "POST /api/v1/companies/7/share-links": (call) => {
        const created = {
          id: 1,
          company_id: 7,
          label: (call.body as { label: string }).label,
          url: "http://app.test/shared/SECRET",
          token: "SECRET",
          include_reasons: false,
          for_stakeholders: false,
          created_by: 2,
          created_at: "2026-03-01T09:00:00+00:00",
          expires_at: null,
          revoked_at: null,
          last_viewed_at: null,
          view_count: 0,
        };
        listed = [{ ...created, url: null, token: undefined, view_count: 3 }];
        return { status: 201, body: created };
      },
    });
    renderWithApp(<SharePanel companyId={7} />);
    expect(await screen.findByText("No share links yet")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Label"), "Board");
    await user.click(screen.getByRole("button", { name: "Create link" }));
    expect(await screen.findByDisplayValue("http://app.test/shared/SECRET")).toBeInTheDocument();
    const table = await screen.findByRole("table");
    await waitFor(() => expect(within(table).getByText("Board")).toBeInTheDocument());
    expect(within(table).getByText("3")).toBeInTheDocument();
    expect(within(table).getByRole("button", { name: "Revoke share link Board" })).toBeEnabled();
    const post = calls.find((c) => c.method === "POST");
    expect(post?.headers.get("X-CSRF-Token")).toBe("csrf-coach");
    expect(post?.body).toMatchObject({ label: "Board", include_reasons: false });
    const sent = (post?.body ?? {}) as { expires_at?: string };
    expect(sent.expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
