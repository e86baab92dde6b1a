import { Navigate, Outlet, useLocation } from "react-router";
import { ErrorState, LoadingState } from "@/components/QueryState";
import { type Ability, may } from "@/lib/abilities";
import { useMe } from "@/lib/auth";
import { useCatalogue } from "@/lib/milestones";

/** Renders the signed-in part of the app, or sends the visitor to /login. The milestone
 * catalogue is loaded first (once per session), so screens name milestones from it. */
export function RequireAuth() {
  const me = useMe();
  const catalogue = useCatalogue(!!me.data);
  const location = useLocation();
  if (me.isPending) return <LoadingState label="Checking your session…" />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (catalogue.isPending) return <LoadingState label="Checking your session…" />;
  if (catalogue.error)
    return <ErrorState error={catalogue.error} onRetry={() => catalogue.refetch()} />;
  return <Outlet />;
}

/** Hides a whole screen from roles without the ability (the API refuses them anyway). */
export function RequireAbility({ ability }: { ability: Ability }) {
  const me = useMe();
  if (!may(me.data, ability)) return <Navigate to="/" replace />;
  return <Outlet />;
}
