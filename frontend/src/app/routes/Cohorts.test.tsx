import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { exportUrl } from "@/components/DownloadMenu";
import ActivityPage from "@/features/activity/ActivityPage";
import CohortComparisonPage from "@/features/cohorts/CohortComparisonPage";
import CohortsAdminPage from "@/features/cohorts/CohortsAdminPage";
import PortfolioPage from "@/features/portfolio/PortfolioPage";
import { admin, coach, mockApi, renderWithApp } from "@/test/utils";

const cohorts = [
  { id: 1, name: "Cohort 2024", starts_on: "2024-01-15", ends_on: null, company_count: 3 },
  { id: 2, name: "Empty 2026", starts_on: "2026-02-01", ends_on: null, company_count: 0 },
];

describe("exports", () => {
  it("carry the screen's filters, without empty ones", () => {
    expect(exportUrl("portfolio", "csv", { q: "", sort: "name", cohort_id: 3 })).toBe(
      "/api/v1/exports/portfolio.csv?sort=name&cohort_id=3",
    );
    expect(exportUrl("activity", "xlsx", { event: undefined })).toBe(
      "/api/v1/exports/activity.xlsx",
    );
  });
});

describe("cohort filter", () => {
  it("is kept in the URL and sent to the portfolio, its funnel and its download", async () => {
    const { calls } = mockApi({
      "GET /api/v1/portfolio": { body: [] },
      "GET /api/v1/analytics/milestones": { body: { milestones: [] } },
      "GET /api/v1/cohorts": { body: cohorts },
    });
    renderWithApp(<PortfolioPage />, { me: coach, path: "/?cohort=1", routePath: "/" });
    expect(await screen.findByText("No company matches")).toBeInTheDocument();
    await waitFor(() => {
      for (const path of ["/api/v1/portfolio", "/api/v1/analytics/milestones"]) {
        const query = new URLSearchParams(calls.find((c) => c.path === path)?.search);
        expect(query.get("cohort_id")).toBe("1");
      }
    });
    expect(await screen.findByDisplayValue("Cohort 2024")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Download" }));
    const csv = await screen.findByRole("menuitem", { name: "CSV (.csv)" });
    const href = new URL(csv.getAttribute("href") ?? "", "http://app.test");
    expect(href.pathname).toBe("/api/v1/exports/portfolio.csv");
    expect(href.searchParams.get("cohort_id")).toBe("1");
  });
});

describe("CohortsAdminPage", () => {
  it("lists cohorts and only lets empty ones be deleted", async () => {
    mockApi({ "GET /api/v1/cohorts": { body: cohorts } });
    renderWithApp(<CohortsAdminPage />, { me: admin });
    const row = (await screen.findByText("Cohort 2024")).closest("tr") as HTMLElement;
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Cohort 2024", "2024-01-15", "—", "3", "EditDelete"]);
    expect(within(row).getByRole("button", { name: "Delete Cohort 2024" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Delete Empty 2026" })).toBeEnabled();
  });

  it("shows the API's message on a clash", async () => {
    mockApi({
      "GET /api/v1/cohorts": { body: cohorts },
      "POST /api/v1/cohorts": {
        status: 409,
        body: { code: "duplicate_name", message: "A cohort named 'Cohort 2024' already exists." },
      },
    });
    renderWithApp(<CohortsAdminPage />, { me: admin });
    fireEvent.click(await screen.findByRole("button", { name: "New cohort" }));
    fireEvent.change(await screen.findByLabelText(/Cohort name/), {
      target: { value: "Cohort 2024" },
    });
    fireEvent.change(screen.getByLabelText(/Starts on/), { target: { value: "2026-09-01" } });
    fireEvent.click(screen.getByRole("button", { name: "Save cohort" }));
    expect(
      await screen.findByText("A cohort named 'Cohort 2024' already exists."),
    ).toBeInTheDocument();
  });
});

describe("CohortComparisonPage", () => {
  it("says so when there is no cohort", async () => {
    mockApi({ "GET /api/v1/analytics/cohorts": { body: { cohorts: [] } } });
    renderWithApp(<CohortComparisonPage />, { me: coach });
    expect(await screen.findByText("No cohorts to compare")).toBeInTheDocument();
  });
});

describe("ActivityPage", () => {
  it("lists events with links to their company and passes the filters on", async () => {
    const { calls } = mockApi({
      "GET /api/v1/companies": { body: [] },
      "GET /api/v1/activity": {
        body: [
          {
            id: 9,
            milestone: "first_customer",
            event: "toggled",
            previous: false,
            achieved: true,
            reason: "Signed",
            actor_id: 2,
            actor_name: "Cora Coach",
            evidence_id: null,
            evidence_title: null,
            created_at: "2026-11-20T10:00:00Z",
            company_id: 7,
            company_name: "Acme Robotics",
          },
        ],
        headers: { "X-Pagination": JSON.stringify({ total: 1, total_pages: 1, page: 1 }) },
      },
    });
    renderWithApp(<ActivityPage />, {
      me: coach,
      path: "/activity?event=toggled&since=2026-11-01",
    });
    const link = await screen.findByRole("link", { name: "Acme Robotics" });
    expect(link).toHaveAttribute("href", "/companies/7");
    expect(screen.getByText("First Customer achieved")).toBeInTheDocument();
    const query = new URLSearchParams(calls.find((c) => c.path === "/api/v1/activity")?.search);
    expect(query.get("event")).toBe("toggled");
    expect(query.get("since")).toBe("2026-11-01");
  });
});
