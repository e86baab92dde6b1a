import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coach, mockApi, renderWithApp } from "@/test/utils";
import PortfolioPage from "./PortfolioPage";

const row = {
  company_id: 7,
  name: "Acme Robotics",
  current_milestone: "first_customer",
  days_in_milestone: 12,
  achieved_count: 1,
  total_tasks: 5,
  completed_tasks: 2,
  active_tasks: 3,
  pending_approvals: 4,
  last_activity: "2026-11-20T10:00:00Z",
  attention: ["stalled", "reviews_waiting"],
  stall_threshold_days: 90,
  median_days: 60,
  oldest_pending_at: "2026-11-01T10:00:00Z",
};
const settings = {
  stall_factor: 1.5,
  stall_min_days: 30,
  stale_review_days: 7,
  inactive_days: 30,
  digest_weekday: 1,
  digest_hour_utc: 8,
  require_all_criteria: false,
};

describe("PortfolioPage", () => {
  it("lists companies with their figures and passes filters to the API", async () => {
    const { calls } = mockApi({
      "GET /api/v1/settings": { body: settings },
      "GET /api/v1/portfolio": {
        body: [row],
        headers: { "X-Pagination": JSON.stringify({ total: 1, total_pages: 1, page: 1 }) },
      },
      "GET /api/v1/analytics/milestones": {
        body: {
          milestones: [
            {
              milestone: "value_baseline",
              started: 3,
              achieved: 2,
              in_progress: 1,
              avg_days: 40,
              median_days: 38,
            },
          ],
        },
      },
    });
    renderWithApp(<PortfolioPage />, {
      me: coach,
      path: "/?view=all&milestone=first_customer&sort=-pending_approvals",
      routePath: "/",
    });

    const link = await screen.findByRole("link", { name: "Acme Robotics" });
    expect(link).toHaveAttribute("href", "/companies/7");
    const cells = within(link.closest("tr") as HTMLElement).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual([
      "Acme Robotics",
      "First Customer",
      "StalledReviews waiting",
      "12",
      "1 / 5",
      "2 / 5 (3 active)",
      "4",
      expect.stringMatching(/ago$/),
    ]);
    expect(
      await screen.findByRole("img", {
        name: "Value Baseline: 2 achieved and 1 in progress of 3 started",
      }),
    ).toBeInTheDocument();
    await waitFor(() => {
      const query = new URLSearchParams(calls.find((c) => c.path === "/api/v1/portfolio")?.search);
      expect(query.get("milestone")).toBe("first_customer");
      expect(query.get("sort")).toBe("-pending_approvals");
      expect(query.get("page")).toBe("1");
      expect(query.get("attention")).toBeNull();
    });
  });

  it("opens on the companies needing attention for a coach, each reason explained", async () => {
    const { calls } = mockApi({
      "GET /api/v1/settings": { body: settings },
      "GET /api/v1/portfolio": { body: [{ ...row, days_in_milestone: 92 }] },
      "GET /api/v1/analytics/milestones": { body: { milestones: [] } },
    });
    renderWithApp(<PortfolioPage />, { me: coach, path: "/", routePath: "/" });
    expect(
      await screen.findByLabelText(
        "Stalled: 92 days in First Customer; threshold 90 = 1.5 x median 60",
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^Reviews waiting: A review waits since/)).toBeInTheDocument();
    const query = new URLSearchParams(calls.find((c) => c.path === "/api/v1/portfolio")?.search);
    expect(query.get("attention")).toBe("true");
    expect(query.get("sort")).toBe("attention");
  });

  it("says so when nothing matches", async () => {
    mockApi({
      "GET /api/v1/settings": { body: settings },
      "GET /api/v1/portfolio": { body: [] },
      "GET /api/v1/analytics/milestones": { body: { milestones: [] } },
    });
    renderWithApp(<PortfolioPage />, { me: coach, path: "/?q=zzz", routePath: "/" });
    expect(await screen.findByText("No company matches")).toBeInTheDocument();
  });
});
