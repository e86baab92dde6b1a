import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { setCsrfToken } from "@/lib/csrf";
import { ApiError } from "@/lib/errors";
import type { Me } from "@/lib/types";

export const meKey = ["auth", "me"] as const;

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
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** The signed-in user; only for components rendered inside RequireAuth. */
export function useViewer(): Me {
  const { data } = useMe();
  if (!data) throw new Error("useViewer outside RequireAuth");
  return data;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/login", { body })),
    onSuccess: (me) => {
      setCsrfToken(me.csrf_token);
      qc.clear();
      qc.setQueryData(meKey, me);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")),
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(meKey, null);
    },
  });
}

export function useSetPassword() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/password", { body })),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: { email: string }) =>
      unwrap(api.POST("/api/v1/auth/password-reset", { body })),
  });
}

export function useUnsubscribe() {
  return useMutation({
    mutationFn: (token: string) =>
      unwrap(api.POST("/api/v1/unsubscribe/{token}", { params: { path: { token } } })),
  });
}
