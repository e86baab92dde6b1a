import { lazy, Suspense } from "react";
import { createBrowserRouter, Outlet, type RouteObject } from "react-router";
import { LoadingState } from "@/components/QueryState";
import { Home } from "./Home";
import { AppLayout } from "./Layout";
import { NotFound } from "./NotFound";
import { RequireAuth, RequireRole } from "./RequireAuth";
import { RouteError } from "./RouteError";

// Every screen is its own chunk so the first load stays small.
const LoginPage = lazy(() => import("@/features/auth/LoginPage"));
const SetPasswordPage = lazy(() => import("@/features/auth/SetPasswordPage"));
const ForgotPasswordPage = lazy(() => import("@/features/auth/ForgotPasswordPage"));
const UnsubscribePage = lazy(() => import("@/features/auth/UnsubscribePage"));
const CompanyPage = lazy(() => import("@/features/company/CompanyPage"));
const ApprovalsPage = lazy(() => import("@/features/reviews/ReviewQueuePage"));
const AnalyticsPage = lazy(() => import("@/features/analytics/AnalyticsPage"));
const UsersPage = lazy(() => import("@/features/admin/UsersPage"));
const CompaniesAdminPage = lazy(() => import("@/features/admin/CompaniesAdminPage"));
const CompanyAdminPage = lazy(() => import("@/features/admin/CompanyAdminPage"));
const OutboxPage = lazy(() => import("@/features/admin/OutboxPage"));
const SettingsPage = lazy(() => import("@/features/settings/SettingsPage"));
const NotificationsPage = lazy(() => import("@/features/settings/NotificationsPage"));
const SharedPage = lazy(() => import("@/features/sharing/SharedPage"));
const WebhooksPage = lazy(() => import("@/features/webhooks/WebhooksPage"));
const CohortsAdminPage = lazy(() => import("@/features/cohorts/CohortsAdminPage"));
const CohortComparisonPage = lazy(() => import("@/features/cohorts/CohortComparisonPage"));
const ActivityPage = lazy(() => import("@/features/activity/ActivityPage"));

function Lazy() {
  return (
    <Suspense fallback={<LoadingState />}>
      <Outlet />
    </Suspense>
  );
}

export const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    element: <Lazy />,
    children: [
      { path: "/login", element: <LoginPage /> },
      { path: "/set-password", element: <SetPasswordPage /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
      { path: "/unsubscribe/:token", element: <UnsubscribePage /> },
      { path: "/shared/:token", element: <SharedPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <Home /> },
              { path: "/companies/:companyId", element: <CompanyPage /> },
              { path: "/notifications", element: <NotificationsPage /> },
              {
                element: <RequireRole roles={["coach"]} />,
                children: [{ path: "/approvals", element: <ApprovalsPage /> }],
              },
              {
                element: <RequireRole roles={["coach", "admin"]} />,
                children: [
                  { path: "/analytics", element: <AnalyticsPage /> },
                  { path: "/analytics/cohorts", element: <CohortComparisonPage /> },
                  { path: "/activity", element: <ActivityPage /> },
                ],
              },
              {
                element: <RequireRole roles={["admin"]} />,
                children: [
                  { path: "/admin/users", element: <UsersPage /> },
                  { path: "/admin/companies", element: <CompaniesAdminPage /> },
                  { path: "/admin/companies/:companyId", element: <CompanyAdminPage /> },
                  { path: "/admin/outbox", element: <OutboxPage /> },
                  { path: "/admin/settings", element: <SettingsPage /> },
                  { path: "/admin/webhooks", element: <WebhooksPage /> },
                  { path: "/admin/cohorts", element: <CohortsAdminPage /> },
                ],
              },
              { path: "*", element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
