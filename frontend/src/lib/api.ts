import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "@/api/schema";
import { getCsrfToken, isUnsafeMethod } from "./csrf";
import { ApiError, toApiError } from "./errors";
import type { Complete } from "./types";

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    const token = getCsrfToken();
    if (token && isUnsafeMethod(request.method)) request.headers.set("X-CSRF-Token", token);
    return request;
  },
};

function origin(): string {
  return typeof window !== "undefined" ? window.location.origin : "";
}

/** The one API client: same-origin cookie session, CSRF header on unsafe methods. */
export const api = createClient<paths>({
  baseUrl: origin(),
  credentials: "same-origin",
  // Looked up at call time so tests can replace globalThis.fetch.
  fetch: (input: Request) => globalThis.fetch(input),
});
api.use(csrfMiddleware);

export interface Pagination {
  total: number;
  totalPages: number;
  page: number;
}

export function parsePagination(response: Response | undefined): Pagination | null {
  const raw = response?.headers.get("X-Pagination");
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Record<string, number>;
    return {
      total: p.total ?? 0,
      totalPages: p.total_pages ?? p.last_page ?? 1,
      page: p.page ?? 1,
    };
  } catch {
    return null;
  }
}

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Resolves an openapi-fetch call to its data or throws the normalised ApiError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<Complete<T>> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, response.headers, error);
  return data as Complete<T>;
}

/** Like unwrap, keeping the response for headers (pagination, ETag). */
export async function unwrapWithResponse<T>(
  call: Promise<FetchResult<T>>,
): Promise<{ data: Complete<T>; response: Response }> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, response.headers, error);
  return { data: data as Complete<T>, response };
}

export interface Page<T> {
  items: T[];
  pagination: Pagination | null;
}

export async function unwrapPage<T>(call: Promise<FetchResult<T[]>>): Promise<Page<Complete<T>>> {
  const { data, response } = await unwrapWithResponse(call);
  return { items: (data ?? []) as Complete<T>[], pagination: parsePagination(response) };
}

export { ApiError };
