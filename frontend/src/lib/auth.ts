import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./api";
import { setCsrfToken } from "./csrf";
import { ApiError } from "./errors";
import { queryKeys } from "./queryKeys";
import type { Me } from "./types";

/** Set by the API while a session exists (readable, unlike the HttpOnly session cookie). */
export function hasSessionHint(): boolean {
  return typeof document !== "undefined" && /(?:^|;\s*)mt_signed_in=/.test(document.cookie);
}

export async function fetchMe(): Promise<Me | null> {
  // Nobody signed in: no GET /auth/me, whose 401 browsers log as a console error.
  if (!hasSessionHint()) {
    setCsrfToken(null);
    return null;
  }
  try {
    const me = await unwrap(api.GET("/api/v1/auth/me"));
    setCsrfToken(me.csrf_token);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: queryKeys.me(), queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** The signed-in user; only for components rendered inside RequireAuth. */
export function useViewer(): Me {
  const { data } = useMe();
  if (!data) throw new Error("useViewer outside RequireAuth");
  return data;
}
