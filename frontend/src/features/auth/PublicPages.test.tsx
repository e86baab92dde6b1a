import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithApp } from "@/test/utils";
import SetPasswordPage from "./SetPasswordPage";
import UnsubscribePage from "./UnsubscribePage";

describe("UnsubscribePage", () => {
  it("asks first, then posts the token without a CSRF header", async () => {
    const { calls } = mockApi({ "POST /api/v1/unsubscribe/tok.en-1": { status: 204 } });
    renderWithApp(<UnsubscribePage />, {
      me: null,
      path: "/unsubscribe/tok.en-1",
      routePath: "/unsubscribe/:token",
    });
    expect(calls).toHaveLength(0);
    await userEvent.setup().click(screen.getByRole("button", { name: "Unsubscribe" }));
    expect(await screen.findByText("You are unsubscribed")).toBeInTheDocument();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /api/v1/unsubscribe/tok.en-1",
    ]);
    expect(calls[0]?.headers.get("X-CSRF-Token")).toBeNull();
  });

  it("shows the API's refusal of a bad link", async () => {
    mockApi({
      "POST /api/v1/unsubscribe/bad": {
        status: 404,
        body: { code: "not_found", message: "This unsubscribe link is not valid." },
      },
    });
    renderWithApp(<UnsubscribePage />, {
      me: null,
      path: "/unsubscribe/bad",
      routePath: "/unsubscribe/:token",
    });
    await userEvent.setup().click(screen.getByRole("button", { name: "Unsubscribe" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "This unsubscribe link is not valid.",
    );
  });
});

describe("SetPasswordPage", () => {
  it("checks the repeat, then sends token and password", async () => {
    const { calls } = mockApi({ "POST /api/v1/auth/password": { status: 204 } });
    renderWithApp(<SetPasswordPage />, {
      me: null,
      path: "/set-password?token=abc123",
      routePath: "/set-password",
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^New password/), "long enough pw");
    await user.type(screen.getByLabelText(/Repeat the password/), "different pw");
    await user.click(screen.getByRole("button", { name: "Set password" }));
    expect(await screen.findByText("The passwords do not match")).toBeInTheDocument();
    expect(calls).toHaveLength(0);

    await user.clear(screen.getByLabelText(/Repeat the password/));
    await user.type(screen.getByLabelText(/Repeat the password/), "long enough pw");
    await user.click(screen.getByRole("button", { name: "Set password" }));
    expect(await screen.findByText(/Your password is set/)).toBeInTheDocument();
    await waitFor(() =>
      expect(calls[0]?.body).toEqual({ token: "abc123", password: "long enough pw" }),
    );
  });

  it("shows the API's message for an expired link", async () => {
    mockApi({
      "POST /api/v1/auth/password": {
        status: 400,
        body: { code: "invalid_token", message: "This link has expired or was already used." },
      },
    });
    renderWithApp(<SetPasswordPage />, {
      me: null,
      path: "/set-password?token=old",
      routePath: "/set-password",
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^New password/), "long enough pw");
    await user.type(screen.getByLabelText(/Repeat the password/), "long enough pw");
    await user.click(screen.getByRole("button", { name: "Set password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "This link has expired or was already used.",
    );
  });
});
