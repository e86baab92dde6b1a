import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { MilestoneStatus } from "@/lib/types";
import { mockApi, renderWithApp, status } from "@/test/utils";
import { MAX_REASON_LENGTH, ToggleDialog } from "./ToggleDialog";

const PUT_FIRST = "PUT /api/v1/companies/7/milestones/first_customer";
const PUT_BASELINE = "PUT /api/v1/companies/7/milestones/value_baseline";

function openDialog(s: MilestoneStatus, onClose = vi.fn()) {
  renderWithApp(<ToggleDialog companyId={7} status={s} opened onClose={onClose} />);
  return onClose;
}

describe("ToggleDialog", () => {
  it("requires a reason when reverting and sends nothing without one", async () => {
    const { calls } = mockApi({});
    openDialog(status("value_baseline") as unknown as MilestoneStatus);
    const user = userEvent.setup();

    expect(
      await screen.findByRole("dialog", { name: "Revert “Value Baseline”" }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Revert milestone" }));

    expect(
      await screen.findByText("A reason is required when reverting a milestone"),
    ).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PUT")).toHaveLength(0);
  });

  it("reverts with the trimmed reason and closes", async () => {
    const { calls } = mockApi({
      [PUT_BASELINE]: { body: status("value_baseline", { achieved: false, state: "current" }) },
    });
    const onClose = openDialog(status("value_baseline") as unknown as MilestoneStatus);
    const user = userEvent.setup();

    await user.type(screen.getByRole("textbox", { name: /Reason/ }), "  Contract was cancelled  ");
    await user.click(screen.getByRole("button", { name: "Revert milestone" }));

    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const put = calls.find((c) => c.method === "PUT");
    expect(put?.path).toBe("/api/v1/companies/7/milestones/value_baseline");
    expect(put?.body).toEqual({ achieved: false, reason: "Contract was cancelled" });
    expect(put?.headers.get("X-CSRF-Token")).toBe("csrf-coach");
  });

  it("achieves without a reason (it is optional then)", async () => {
    const { calls } = mockApi({
      [PUT_FIRST]: { body: status("first_customer", { achieved: true, state: "achieved" }) },
    });
    const onClose = openDialog(status("first_customer") as unknown as MilestoneStatus);
    const user = userEvent.setup();

    expect(screen.getByRole("textbox", { name: /Reason/ })).not.toBeRequired();
    await user.click(screen.getByRole("button", { name: "Mark achieved" }));

    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ achieved: true });
  });

  it("limits the reason to 2000 characters", () => {
    mockApi({});
    openDialog(status("value_baseline") as unknown as MilestoneStatus);
    expect(screen.getByRole("textbox", { name: /Reason/ })).toHaveAttribute(
      "maxlength",
      String(MAX_REASON_LENGTH),
    );
    expect(screen.getByText(`0 / ${MAX_REASON_LENGTH}`)).toBeInTheDocument();
  });

  it("shows the API's order refusal (409)", async () => {
    mockApi({
      [PUT_FIRST]: {
        status: 409,
        body: { code: "milestone_order", message: "Value Baseline must be achieved first." },
      },
    });
    const onClose = openDialog(status("first_customer") as unknown as MilestoneStatus);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Mark achieved" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Milestone order");
    expect(alert).toHaveTextContent("Value Baseline must be achieved first.");
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.queryByRole("button", { name: "Reload the milestone" })).not.toBeInTheDocument();
  });

  it("shows the API's missing-evidence refusal (422)", async () => {
    mockApi({
      [PUT_FIRST]: {
        status: 422,
        body: { code: "evidence_required", message: "Add at least one evidence item first." },
      },
    });
    openDialog(status("first_customer") as unknown as MilestoneStatus);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Mark achieved" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Cannot change this milestone yet");
    expect(alert).toHaveTextContent("Add at least one evidence item first.");
  });

  it("sends If-Match with the status etag and offers a reload on 412", async () => {
    const { calls } = mockApi({
      [PUT_FIRST]: {
        status: 412,
        body: {
          code: "precondition_failed",
          message: "The milestone changed since you loaded it.",
        },
      },
    });
    const { client } = renderWithApp(
      <ToggleDialog
        companyId={7}
        status={
          status("first_customer", { etag: '"7-first_customer-3"' }) as unknown as MilestoneStatus
        }
        opened
        onClose={vi.fn()}
      />,
    );
    const invalidate = vi.spyOn(client, "invalidateQueries");
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Mark achieved" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Changed by someone else");
    expect(alert).toHaveTextContent("The milestone changed since you loaded it.");
    expect(calls.find((c) => c.method === "PUT")?.headers.get("If-Match")).toBe(
      '"7-first_customer-3"',
    );

    await user.click(screen.getByRole("button", { name: "Reload the milestone" }));
    await waitFor(() => expect(invalidate).toHaveBeenCalledWith({ queryKey: ["companies", 7] }));
  });

  it("toggles without If-Match when the API gives no ETag", async () => {
    const { calls } = mockApi({
      [PUT_FIRST]: { body: status("first_customer", { achieved: true, state: "achieved" }) },
    });
    const onClose = openDialog(status("first_customer") as unknown as MilestoneStatus);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Mark achieved" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls.find((c) => c.method === "PUT")?.headers.get("If-Match")).toBeNull();
  });
});
