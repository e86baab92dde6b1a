import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, type RouteObject, RouterProvider } from "react-router";
import { vi } from "vitest";
import { theme } from "@/app/theme";
import { setCsrfToken } from "@/lib/csrf";
import { queryKeys } from "@/lib/queryKeys";
import type { Me } from "@/lib/types";
import { CATALOGUE } from "./catalogue";

// As GET /auth/me lists them (tests/api/test_abilities.py asserts the same lists).
const ABILITIES = {
  admin: [
    "view",
    "manage_stakeholders",
    "manage_company",
    "share",
    "view_all_companies",
    "manage_users",
    "create_companies",
    "manage_cohorts",
    "manage_webhooks",
    "manage_settings",
    "view_outbox",
    "view_portfolio",
    "view_analytics",
    "view_activity",
    "export",
    "view_review_queue",
  ],
  coach: [
    "view",
    "toggle",
    "manage_evidence",
    "propose_evidence",
    "create_task",
    "submit_task",
    "review",
    "post_update",
    "manage_stakeholders",
    "share",
    "view_portfolio",
    "view_analytics",
    "view_activity",
    "export",
    "view_review_queue",
  ],
  member: ["view", "propose_evidence", "create_task", "submit_task", "post_update"],
} satisfies Record<Me["role"], Me["abilities"]>;

export const coach: Me = {
  id: 2,
  email: "coach@example.org",
  name: "Cora Coach",
  role: "coach",
  company_ids: [7],
  active: true,
  created_at: "2026-01-05T09:00:00Z",
  csrf_token: "csrf-coach",
  abilities: ABILITIES.coach,
};

export const member: Me = {
  id: 3,
  email: "founder@example.org",
  name: "Finn Founder",
  role: "member",
  company_ids: [7],
  active: true,
  created_at: "2026-01-05T09:00:00Z",
  csrf_token: "csrf-member",
  abilities: ABILITIES.member,
};

export const admin: Me = {
  id: 1,
  email: "admin@example.org",
  name: "Ada Admin",
  role: "admin",
  company_ids: [],
  active: true,
  created_at: "2026-01-05T09:00:00Z",
  csrf_token: "csrf-admin",
  abilities: ABILITIES.admin,
};

export interface MockResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedCall {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

type Handler = MockResponse | ((call: RecordedCall) => MockResponse);

/**
 * Replaces fetch with a table of "METHOD /path" -> response. Unknown routes answer 404 JSON
 * so a forgotten handler shows up as a visible error, not a hang.
 */
export function mockApi(routes: Record<string, Handler>) {
  const calls: RecordedCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const call: RecordedCall = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body,
    };
    calls.push(call);
    const handler = routes[`${request.method} ${url.pathname}`];
    const res: MockResponse = handler
      ? typeof handler === "function"
        ? handler(call)
        : handler
      : {
          status: 404,
          body: { code: "not_found", message: `No mock for ${request.method} ${url.pathname}` },
        };
    const status = res.status ?? 200;
    const headers = new Headers(res.headers);
    if (res.body !== undefined && !headers.has("Content-Type"))
      headers.set("Content-Type", "application/json");
    return new Response(
      status === 204 || res.body === undefined ? null : JSON.stringify(res.body),
      {
        status,
        headers,
      },
    );
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
}

export function renderWithApp(
  ui: ReactElement,
  {
    me = coach,
    path = "/",
    routePath = "*",
    extraRoutes = [],
  }: {
    me?: Me | null;
    path?: string;
    routePath?: string;
    extraRoutes?: RouteObject[];
  } = {},
) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
  client.setQueryData(queryKeys.me(), me);
  client.setQueryData(queryKeys.catalogue(), CATALOGUE);
  setCsrfToken(me?.csrf_token ?? null);
  const router = createMemoryRouter([{ path: routePath, element: ui }, ...extraRoutes], {
    initialEntries: [path],
  });
  const utils = render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={client}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...utils, client, router };
}

const CRITERIA = {
  value_baseline: [
    { key: "value_proposition", text: "Clear value proposition documented" },
    { key: "target_market", text: "Target market identified" },
    { key: "pricing_model", text: "Initial pricing model defined" },
    { key: "mvp_features", text: "MVP features outlined" },
  ],
  first_customer: [
    { key: "signed_contract", text: "Signed contract/agreement" },
    { key: "payment_received", text: "Payment received" },
    { key: "product_delivered", text: "Product/service delivered" },
    { key: "customer_feedback", text: "Customer feedback documented" },
  ],
} as const;

export function metrics(milestone: string, days = 0) {
  return {
    milestone,
    days_in_milestone: days,
    total_tasks: 3,
    completed_tasks: 1,
    active_tasks: 2,
    avg_task_completion_time: 2.5,
    progress_update_count: 4,
    evidence_count: 1,
    approved_updates: 2,
    pending_updates: 1,
    rejected_updates: 1,
    update_approval_rate: 0.6667,
    task_approval_rate: 0.5,
  };
}

export function status(
  milestone: "value_baseline" | "first_customer",
  overrides: Record<string, unknown> = {},
) {
  const achieved = milestone === "value_baseline";
  return {
    milestone,
    title: milestone === "value_baseline" ? "Value Baseline" : "First Customer",
    achieved,
    state: achieved ? "achieved" : "current",
    started_at: "2026-09-01T09:00:00Z",
    achieved_at: achieved ? "2026-10-01T09:00:00Z" : null,
    last_updated: "2026-10-01T09:00:00Z",
    updated_by: 2,
    // As the API gives them: each criterion with the coach's check and its evidence count.
    criteria: CRITERIA[milestone].map((c) => ({
      ...c,
      met: false,
      met_at: null,
      met_by: null,
      met_by_name: null,
      note: null,
      evidence_count: c.key === "signed_contract" ? 1 : 0,
    })),
    suggested: false,
    suggestion: null,
    metrics: metrics(milestone, 30),
    ...overrides,
  } as const;
}
