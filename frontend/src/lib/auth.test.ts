import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchMe, hasSessionHint } from "./auth";

function writeCookie(value: string) {
  // biome-ignore lint/suspicious/noDocumentCookie: jsdom has no Cookie Store API
  document.cookie = value;
}

function clearHint() {
  writeCookie("mt_signed_in=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/");
}

describe("the session probe", () => {
  afterEach(clearHint);

  it("asks nothing when no session hint is set (no 401 in the console)", async () => {
    clearHint();
    const fetch = vi.spyOn(globalThis, "fetch");
    expect(hasSessionHint()).toBe(false);
    await expect(fetchMe()).resolves.toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("asks GET /auth/me when the API set the hint", async () => {
    writeCookie("mt_signed_in=1; path=/");
    const me = {
      id: 1,
      email: "c@x.test",
      name: "C",
      role: "coach",
      company_ids: [],
      csrf_token: "t",
    };
    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify(me), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      }),
    );
    await expect(fetchMe()).resolves.toMatchObject({ id: 1, role: "coach" });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String((fetch.mock.calls[0][0] as Request).url)).toMatch(/\/api\/v1\/auth\/me$/);
  });

  it("treats a stale hint's 401 as signed out", async () => {
    writeCookie("mt_signed_in=1; path=/");
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ code: "unauthorized", message: "Sign in" }), {
        status: 401,
        headers: { "Content-Type": "application/json" },
      }),
    );
    await expect(fetchMe()).resolves.toBeNull();
  });
});
