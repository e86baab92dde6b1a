import { Navigate, Outlet, useLocation } from "react-router";
import { ErrorState, LoadingState } from "@/components/QueryState";
import { useMe } from "@/features/auth/api";
import type { Role } from "@/lib/types";

/** Renders the signed-in part of the app, or sends the visitor to /login. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <LoadingState label="Checking your session…" />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** Hides a whole screen from roles that cannot use it (the API refuses them anyway). */
export function RequireRole({ roles }: { roles: Role[] }) {
  const me = useMe();
  if (!me.data || !roles.includes(me.data.role)) return <Navigate to="/" replace />;
  return <Outlet />;
}
