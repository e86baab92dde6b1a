import {
  AppShell,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Suspense } from "react";
import { Link, Outlet, NavLink as RouterNavLink, useLocation, useNavigate } from "react-router";
import { LoadingState } from "@/components/QueryState";
import { useLogout } from "@/features/auth/api";
import { type Ability, may } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";

interface NavItem {
  to: string;
  label: string;
  /** Shown when the role has it (GET /auth/me abilities); always when absent. */
  ability?: Ability;
}

const STAFF_NAV: NavItem[] = [
  { to: "/", label: "Portfolio" },
  { to: "/approvals", label: "Approvals", ability: "review" },
  { to: "/analytics", label: "Analytics", ability: "view_analytics" },
  { to: "/analytics/cohorts", label: "Cohort comparison", ability: "view_analytics" },
  { to: "/activity", label: "Activity", ability: "view_activity" },
  { to: "/admin/users", label: "Users", ability: "manage_users" },
  { to: "/admin/companies", label: "Companies", ability: "create_companies" },
  { to: "/admin/cohorts", label: "Cohorts", ability: "manage_cohorts" },
  { to: "/admin/outbox", label: "Outbox", ability: "view_outbox" },
  { to: "/admin/settings", label: "Settings", ability: "manage_settings" },
  { to: "/admin/webhooks", label: "Webhooks", ability: "manage_webhooks" },
  { to: "/notifications", label: "Notifications" },
];

function navItems(me: ReturnType<typeof useViewer>): NavItem[] {
  // Without the portfolio (a member): their company and their notifications.
  if (!may(me, "view_portfolio")) {
    const id = me.company_ids[0];
    const items: NavItem[] = id != null ? [{ to: `/companies/${id}`, label: "My company" }] : [];
    return [...items, { to: "/notifications", label: "Notifications" }];
  }
  return STAFF_NAV.filter((item) => !item.ability || may(me, item.ability));
}

export function AppLayout() {
  const me = useViewer();
  const [opened, { toggle, close }] = useDisclosure(false);
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const items = navItems(me);
  // The longest entry the path is under (/analytics/cohorts is not also /analytics).
  const activeTo = items
    .map((i) => i.to)
    .filter((to) =>
      to === "/"
        ? location.pathname === "/"
        : location.pathname === to || location.pathname.startsWith(`${to}/`),
    )
    .sort((x, y) => y.length - x.length)[0];

  const signOut = () =>
    logout.mutate(undefined, { onSettled: () => navigate("/login", { replace: true }) });

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding={{ base: "sm", sm: "md" }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? "Close navigation" : "Open navigation"}
            />
            <Text
              component={Link}
              to="/"
              fw={700}
              size="lg"
              c="indigo.7"
              style={{ textDecoration: "none" }}
            >
              Milestone Tracker
            </Text>
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label={`Account menu for ${me.name}`}>
                <Text size="sm" fw={500} truncate maw={180}>
                  {me.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {me.role}
                </Text>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{me.email}</Menu.Label>
              <Menu.Item onClick={signOut}>Sign out</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation" component="nav">
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={RouterNavLink}
            to={item.to}
            end={item.to === "/"}
            label={item.label}
            onClick={close}
            active={item.to === activeTo}
          />
        ))}
        <Button
          variant="subtle"
          color="gray"
          mt="auto"
          onClick={signOut}
          loading={logout.isPending}
        >
          Sign out
        </Button>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
