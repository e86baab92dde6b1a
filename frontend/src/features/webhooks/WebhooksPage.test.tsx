import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, mockApi, renderWithApp } from "@/test/utils";
import WebhooksPage from "./WebhooksPage";

const HOOK = {
  id: 4,
  url: "https://hooks.example.com/in",
  events: ["milestone.achieved", "milestone.reverted"],
  active: true,
  description: "CRM",
  created_at: "2026-03-01T09:00:00+00:00",
  failure_count: 0,
  last_delivery_at: null,
};

describe("WebhooksPage", () => {
  it("adds a webhook, shows its secret once, and shows the API's refusal", async () => {
    let hooks: object[] = [];
    const { calls } = mockApi({
      "GET /api/v1/webhooks": () => ({ body: hooks }),
      "POST /api/v1/webhooks": (call) => {
        const url = (call.body as { url: string }).url;
        if (url.includes("127.0.0.1"))
          return {
            status: 422,
            body: {
              code: "webhook_url_refused",
              message: "This webhook URL is refused: Leads to a loopback address (127.0.0.1).",
              errors: { json: { url: ["Leads to a loopback address (127.0.0.1)."] } },
            },
          };
        hooks = [HOOK];
        return { status: 201, body: { ...HOOK, secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=" } };
      },
    });
    renderWithApp(<WebhooksPage />, { me: admin });
    expect(await screen.findByText("No webhooks yet")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^URL/), "https://127.0.0.1/in");
    await user.click(screen.getByRole("button", { name: "Add webhook" }));
    expect(await screen.findByText(/Leads to a loopback address/)).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/^URL/));
    await user.type(screen.getByLabelText(/^URL/), "https://hooks.example.com/in");
    await user.click(screen.getByRole("button", { name: "Add webhook" }));
    expect(await screen.findByText("whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=")).toBeInTheDocument();
    const table = await screen.findByRole("table");
    expect(within(table).getByText("https://hooks.example.com/in")).toBeInTheDocument();
    expect(within(table).getByRole("switch", { name: /Active/ })).toBeChecked();
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.at(-1)?.body).toEqual({
      url: "https://hooks.example.com/in",
      description: "",
      events: ["milestone.achieved", "milestone.reverted"],
    });
  });
});
