import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { getCsrfToken } from "@/lib/csrf";
import { coach, mockApi, renderWithApp } from "@/test/utils";
import LoginPage from "./LoginPage";

async function signIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/E-mail/), email);
  await user.type(screen.getByLabelText(/Password/), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("LoginPage", () => {
  it("shows the API's message on wrong credentials", async () => {
    mockApi({
      "POST /api/v1/auth/login": {
        status: 401,
        body: { code: "invalid_credentials", message: "Wrong e-mail or password." },
      },
    });
    renderWithApp(<LoginPage />, { me: null, path: "/login" });
    await signIn("coach@example.org", "nope");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong e-mail or password.");
  });

  it("shows throttling with the Retry-After wait", async () => {
    mockApi({
      "POST /api/v1/auth/login": {
        status: 429,
        body: { code: "too_many_requests", message: "Too many attempts." },
        headers: { "Retry-After": "300" },
      },
    });
    renderWithApp(<LoginPage />, { me: null, path: "/login" });
    await signIn("coach@example.org", "nope");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Too many sign-in attempts. Try again in 5 minutes.",
    );
  });

  it("signs in, keeps the CSRF token and goes to the requested page", async () => {
    const { calls } = mockApi({ "POST /api/v1/auth/login": { body: coach } });
    const { router } = renderWithApp(<LoginPage />, {
      me: null,
      path: "/login?next=%2Fcompanies%2F7",
      routePath: "/login",
      extraRoutes: [{ path: "/companies/:id", element: <p>company page</p> }],
    });
    await signIn("coach@example.org", "correct horse");
    await waitFor(() => expect(router.state.location.pathname).toBe("/companies/7"));
    expect(calls[0]?.body).toEqual({ email: "coach@example.org", password: "correct horse" });
    expect(calls[0]?.headers.get("X-CSRF-Token")).toBeNull();
    expect(getCsrfToken()).toBe("csrf-coach");
  });

  it("does not follow an off-site next", async () => {
    mockApi({ "POST /api/v1/auth/login": { body: coach } });
    const { router } = renderWithApp(<LoginPage />, {
      me: null,
      path: "/login?next=%2F%2Fevil.example",
      routePath: "/login",
      extraRoutes: [{ path: "/", element: <p>home</p> }],
    });
    await signIn("coach@example.org", "pw");
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
  });
});
