import { lazy, Suspense } from "react";
import { createBrowserRouter, Outlet, type RouteObject } from "react-router";
import { LoadingState } from "@/components/QueryState";
import { hasSessionHint } from "@/lib/auth";
import { RouteError } from "./RouteError";

// The signed-in shell (session gate, navigation, start page) is a chunk of its own: the
// sign-in page does not load it. With a session it is fetched at once, beside the entry's
// first render, instead of after it.
const signedIn = () => import("./signedIn");
if (hasSessionHint()) void signedIn();
const RequireAuth = lazy(() => signedIn().then((m) => ({ default: m.RequireAuth })));
const RequireAbility = lazy(() => signedIn().then((m) => ({ default: m.RequireAbility })));
const AppLayout = lazy(() => signedIn().then((m) => ({ default: m.AppLayout })));
const Home = lazy(() => signedIn().then((m) => ({ default: m.Home })));
const NotFound = lazy(() => signedIn().then((m) => ({ default: m.NotFound })));

// Every screen is its own chunk so the first load stays small.
const LoginPage = lazy(() => import("@/features/auth/LoginPage"));
const SetPasswordPage = lazy(() => import("@/features/auth/SetPasswordPage"));
const ForgotPasswordPage = lazy(() => import("@/features/auth/ForgotPasswordPage"));
const UnsubscribePage = lazy(() => import("@/features/auth/UnsubscribePage"));
const CompanyPage = lazy(() => import("./routes/CompanyPage"));
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

// Each admin screen behind the ability it needs.
const adminRoutes: RouteObject[] = (
  [
    ["/admin/users", <UsersPage key="users" />, "manage_users"],
    ["/admin/companies", <CompaniesAdminPage key="companies" />, "create_companies"],
    ["/admin/companies/:companyId", <CompanyAdminPage key="company" />, "manage_company"],
    ["/admin/outbox", <OutboxPage key="outbox" />, "view_outbox"],
    ["/admin/settings", <SettingsPage key="settings" />, "manage_settings"],
    ["/admin/webhooks", <WebhooksPage key="webhooks" />, "manage_webhooks"],
    ["/admin/cohorts", <CohortsAdminPage key="cohorts" />, "manage_cohorts"],
  ] as const
).map(([path, element, ability]) => ({
  element: <RequireAbility ability={ability} />,
  children: [{ path, element }],
}));

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
                element: <RequireAbility ability="review" />,
                children: [{ path: "/approvals", element: <ApprovalsPage /> }],
              },
              {
                element: <RequireAbility ability="view_analytics" />,
                children: [
                  { path: "/analytics", element: <AnalyticsPage /> },
                  { path: "/analytics/cohorts", element: <CohortComparisonPage /> },
                ],
              },
              {
                element: <RequireAbility ability="view_activity" />,
                children: [{ path: "/activity", element: <ActivityPage /> }],
              },
              ...adminRoutes,
              { path: "*", element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
