import { afterEach, describe, expect, it } from "vitest";
import { mockApi } from "@/test/utils";
import { api, parsePagination, unwrap, unwrapPage } from "./api";
import { setCsrfToken } from "./csrf";
import { ApiError } from "./errors";

afterEach(() => setCsrfToken(null));

describe("api client", () => {
  it("sends the CSRF token on unsafe methods only", async () => {
    const { calls } = mockApi({
      "GET /api/v1/milestones": { body: [] },
      "POST /api/v1/tasks/4/submit": { body: { id: 4 } },
    });
    setCsrfToken("tok-123");
    await unwrap(api.GET("/api/v1/milestones"));
    await unwrap(
      api.POST("/api/v1/tasks/{task_id}/submit", { params: { path: { task_id: 4 } }, body: {} }),
    );
    expect(calls[0]?.headers.get("X-CSRF-Token")).toBeNull();
    expect(calls[1]?.headers.get("X-CSRF-Token")).toBe("tok-123");
    expect(calls[1]?.path).toBe("/api/v1/tasks/4/submit");
  });

  it("throws the API's error", async () => {
    mockApi({
      "POST /api/v1/updates/9/approve": {
        status: 409,
        body: { code: "not_pending", message: "Only pending updates can be reviewed." },
      },
    });
    const err = await unwrap(
      api.POST("/api/v1/updates/{update_id}/approve", {
        params: { path: { update_id: 9 } },
        body: {},
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).message).toBe("Only pending updates can be reviewed.");
  });

  it("reads the X-Pagination header", async () => {
    mockApi({
      "GET /api/v1/portfolio": {
        body: [{ company_id: 1 }],
        headers: { "X-Pagination": '{"total": 41, "total_pages": 3, "page": 2}' },
      },
    });
    const page = await unwrapPage(api.GET("/api/v1/portfolio", { params: { query: { page: 2 } } }));
    expect(page.items).toHaveLength(1);
    expect(page.pagination).toEqual({ total: 41, totalPages: 3, page: 2 });
  });

  it("ignores a malformed pagination header", () => {
    const response = new Response(null, { headers: { "X-Pagination": "nope" } });
    expect(parsePagination(response)).toBeNull();
  });
});
