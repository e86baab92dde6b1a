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
import { useLogout, useViewer } from "@/features/auth/api";
import { can } from "@/lib/permissions";

interface NavItem {
  to: string;
  label: string;
}

function navItems(me: ReturnType<typeof useViewer>): NavItem[] {
  const items: NavItem[] = [];
  if (me.role === "member") {
    const id = me.company_ids[0];
    if (id != null) items.push({ to: `/companies/${id}`, label: "My company" });
    items.push({ to: "/notifications", label: "Notifications" });
    return items;
  }
  items.push({ to: "/", label: "Portfolio" });
  if (can.seeApprovals(me)) items.push({ to: "/approvals", label: "Approvals" });
  items.push(
    { to: "/analytics", label: "Analytics" },
    { to: "/analytics/cohorts", label: "Cohort comparison" },
    { to: "/activity", label: "Activity" },
  );
  if (can.admin(me)) {
    items.push(
      { to: "/admin/users", label: "Users" },
      { to: "/admin/companies", label: "Companies" },
      { to: "/admin/cohorts", label: "Cohorts" },
      { to: "/admin/outbox", label: "Outbox" },
      { to: "/admin/settings", label: "Settings" },
      { to: "/admin/webhooks", label: "Webhooks" },
    );
  }
  items.push({ to: "/notifications", label: "Notifications" });
  return items;
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
