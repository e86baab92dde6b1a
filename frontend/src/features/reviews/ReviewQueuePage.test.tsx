import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { coach, mockApi, renderWithApp } from "@/test/utils";
import ReviewQueuePage from "./ReviewQueuePage";

const item = (kind: string, id: number, company: [number, string], title: string, age: number) => ({
  kind,
  id,
  company_id: company[0],
  company_name: company[1],
  milestone: "first_customer",
  title,
  excerpt: title,
  author_id: 3,
  author_name: "Mo Member",
  submitted_at: "2026-11-20T10:00:00+00:00",
  age_days: age,
});
const ACME: [number, string] = [1, "Acme"];
const BOLT: [number, string] = [2, "Bolt"];
const QUEUE = [
  item("update", 5, ACME, "We signed a pilot", 10),
  item("task", 8, BOLT, "Send the contract", 3),
  item("task", 5, ACME, "Invoice the pilot", 2),
];

describe("ReviewQueuePage", () => {
  it("approves a selection and shows each item's outcome", async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      "GET /api/v1/reviews/pending": {
        body: QUEUE,
        headers: { "X-Pagination": JSON.stringify({ total: 3, total_pages: 1, page: 1 }) },
      },
      "POST /api/v1/reviews": {
        body: {
          results: [
            { kind: "update", id: 5, outcome: "approved" },
            {
              kind: "task",
              id: 5,
              outcome: "error",
              code: "not_pending",
              message: "Cannot approve a task that is open; it must be submitted.",
            },
          ],
        },
      },
    });
    renderWithApp(<ReviewQueuePage />, { me: coach });
    const acme = await screen.findByRole("region", { name: "Waiting at Acme" });
    expect(within(acme).getByText("Mo Member · First Customer · waiting 10 days")).toBeVisible();
    expect(screen.getByRole("button", { name: "Approve selected" })).toBeDisabled();
    await user.click(within(acme).getByRole("checkbox", { name: "Select all of Acme" }));
    expect(screen.getByText("2 selected")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Approve selected" }));
    const outcome = await screen.findByRole("status", { name: "1 of 2 reviewed" });
    expect(outcome).toHaveTextContent("approved We signed a pilot");
    expect(outcome).toHaveTextContent(
      "error Invoice the pilot — Cannot approve a task that is open; it must be submitted.",
    );
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({
      decision: "approve",
      items: [
        { kind: "update", id: 5 },
        { kind: "task", id: 5 },
      ],
    });
  });

  it("asks for one comment to reject", async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      "GET /api/v1/reviews/pending": { body: QUEUE },
      "POST /api/v1/reviews": {
        body: { results: [{ kind: "task", id: 8, outcome: "rejected" }] },
      },
    });
    renderWithApp(<ReviewQueuePage />, { me: coach });
    await user.click(
      await screen.findByRole("checkbox", { name: "Select Task “Send the contract”" }),
    );
    await user.click(screen.getByRole("button", { name: "Reject selected" }));
    const dialog = await screen.findByRole("dialog", { name: "Reject 1 item" });
    await user.click(within(dialog).getByRole("button", { name: "Reject" }));
    expect(within(dialog).getByText("Please write a comment")).toBeInTheDocument();
    await user.type(within(dialog).getByRole("textbox"), "Needs the signed copy");
    await user.click(within(dialog).getByRole("button", { name: "Reject" }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === "POST")?.body).toEqual({
        decision: "reject",
        comment: "Needs the signed copy",
        items: [{ kind: "task", id: 8 }],
      }),
    );
    expect(await screen.findByText("1 of 1 reviewed")).toBeInTheDocument();
  });

  it("says so when nothing waits", async () => {
    mockApi({ "GET /api/v1/reviews/pending": { body: [] } });
    renderWithApp(<ReviewQueuePage />, { me: coach });
    expect(await screen.findByText("Nothing waits for you")).toBeInTheDocument();
  });
});
