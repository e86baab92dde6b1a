import { Anchor, Button, Card, Grid, Group, Select, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, LoadingState, QueryBoundary } from "@/components/QueryState";
import { useCompany } from "@/lib/companies";
import { errorMessage } from "@/lib/errors";
import { useAssignment, useUsers } from "./api";
import StakeholdersPanel from "./StakeholdersPanel";

function AssignmentCard({ companyId, kind }: { companyId: number; kind: "coaches" | "members" }) {
  const role = kind === "coaches" ? "coach" : "member";
  const users = useUsers({ role, page_size: 100 });
  const assignment = useAssignment(companyId);
  const [choice, setChoice] = useState<string | null>(null);
  const label = kind === "coaches" ? "Coaches" : "Members";

  const run = (userId: number, assign: boolean, name: string) =>
    assignment.mutate(
      { kind, userId, assign },
      {
        onSuccess: () => {
          notifications.show({
            message: `${name} ${assign ? "assigned" : "removed"}`,
            color: "green",
          });
          setChoice(null);
        },
        onError: (e) =>
          notifications.show({ title: "Not changed", message: errorMessage(e), color: "red" }),
      },
    );

  return (
    <Card h="100%">
      <Title order={2} size="h4" mb="sm">
        {label}
      </Title>
      <QueryBoundary query={users} loadingLabel={`Loading ${label.toLowerCase()}…`}>
        {(data) => {
          const assigned = data.items.filter((u) => u.company_ids.includes(companyId));
          const available = data.items.filter(
            (u) => u.active && !u.company_ids.includes(companyId),
          );
          return (
            <Stack>
              {assigned.length === 0 ? (
                <EmptyState title={`No ${label.toLowerCase()} yet`} />
              ) : (
                <Stack
                  gap="xs"
                  component="ul"
                  style={{ listStyle: "none", padding: 0, margin: 0 }}
                  aria-label={`Assigned ${label.toLowerCase()}`}
                >
                  {assigned.map((u) => (
                    <Group component="li" key={u.id} justify="space-between" wrap="nowrap">
                      <div>
                        <Text size="sm" fw={500}>
                          {u.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {u.email}
                        </Text>
                      </div>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => run(u.id, false, u.name)}
                        aria-label={`Remove ${u.name} from ${label.toLowerCase()}`}
                      >
                        Remove
                      </Button>
                    </Group>
                  ))}
                </Stack>
              )}
              <Group align="flex-end" gap="xs" wrap="nowrap">
                <Select
                  label={`Add to ${label.toLowerCase()}`}
                  placeholder={available.length ? `Choose a ${role}` : `No other active ${role}s`}
                  data={available.map((u) => ({
                    value: String(u.id),
                    label: `${u.name} (${u.email})`,
                  }))}
                  value={choice}
                  onChange={setChoice}
                  searchable
                  style={{ flex: 1 }}
                />
                <Button
                  disabled={!choice}
                  loading={assignment.isPending}
                  onClick={() => {
                    const u = available.find((x) => String(x.id) === choice);
                    if (u) run(u.id, true, u.name);
                  }}
                >
                  Assign
                </Button>
              </Group>
            </Stack>
          );
        }}
      </QueryBoundary>
    </Card>
  );
}

export default function CompanyAdminPage() {
  const companyId = Number(useParams().companyId);
  const company = useCompany(companyId);
  if (company.isPending) return <LoadingState />;
  if (company.error || !company.data)
    return <ErrorState error={company.error} onRetry={() => company.refetch()} />;
  return (
    <Stack>
      <PageHeader
        title={`People: ${company.data.name}`}
        description={
          <Anchor component={Link} to={`/companies/${companyId}`}>
            Open the company page
          </Anchor>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <AssignmentCard companyId={companyId} kind="coaches" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <AssignmentCard companyId={companyId} kind="members" />
        </Grid.Col>
      </Grid>
      <StakeholdersPanel companyId={companyId} />
    </Stack>
  );
}
