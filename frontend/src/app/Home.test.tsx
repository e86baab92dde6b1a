import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { member, mockApi, renderWithApp } from "@/test/utils";
import { Home } from "./Home";

describe("Home", () => {
  it("sends a member to their company", async () => {
    mockApi({});
    const { router } = renderWithApp(<Home />, {
      me: member,
      path: "/",
      routePath: "/",
      extraRoutes: [{ path: "/companies/:id", element: <p>their company</p> }],
    });
    await waitFor(() => expect(router.state.location.pathname).toBe("/companies/7"));
    expect(screen.getByText("their company")).toBeInTheDocument();
  });

  it("tells a member without a company what to do", () => {
    mockApi({});
    renderWithApp(<Home />, { me: { ...member, company_ids: [] }, path: "/", routePath: "/" });
    expect(screen.getByText("No company yet")).toBeInTheDocument();
  });
});
