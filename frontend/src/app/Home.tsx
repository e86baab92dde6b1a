import { lazy } from "react";
import { Navigate } from "react-router";
import { EmptyState } from "@/components/QueryState";
import { may } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";

const PortfolioPage = lazy(() => import("@/features/portfolio/PortfolioPage"));

/** Coaches and admins land on the portfolio; a member goes straight to their company. */
export function Home() {
  const me = useViewer();
  if (!may(me, "view_portfolio")) {
    const companyId = me.company_ids[0];
    if (companyId == null)
      return (
        <EmptyState title="No company yet">
          Your account is not attached to a company. Ask the programme staff to add you.
        </EmptyState>
      );
    return <Navigate to={`/companies/${companyId}`} replace />;
  }
  return <PortfolioPage />;
}
