import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { FormError } from "@/components/FormError";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { ScrollTable } from "@/components/ScrollTable";
import { errorMessage } from "@/lib/errors";
import { exact, shortDate } from "@/lib/format";
import {
  type CreatedShareLink,
  type ShareLink,
  useCreateShareLink,
  useRevokeShareLink,
  useShareLinks,
} from "./api";

const EXPIRIES = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
];

function expiresAt(choice: string): string | null {
  if (choice === "never") return null;
  return new Date(Date.now() + Number(choice) * 86_400_000).toISOString();
}

function linkState(link: ShareLink): { label: string; color: string } {
  if (link.revoked_at) return { label: "Revoked", color: "gray" };
  if (link.expires_at && new Date(link.expires_at) <= new Date())
    return { label: "Expired", color: "gray" };
  return { label: "Active", color: "green" };
}

function CreatedLink({ link }: { link: CreatedShareLink }) {
  return (
    <Alert color="green" title="Link created: copy it now" role="status">
      <Stack gap="xs">
        <Text size="sm">
          This is the only time the link is shown. Anyone holding it can see this company's
          milestones and evidence links, without signing in, until it expires or you revoke it.
        </Text>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            aria-label="Share link"
            value={link.url ?? ""}
            readOnly
            style={{ flex: 1 }}
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={link.url ?? ""}>
            {({ copied, copy }) => (
              <Button onClick={copy} color={copied ? "teal" : "indigo"}>
                {copied ? "Copied" : "Copy link"}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

export default function SharePanel({ companyId }: { companyId: number }) {
  const links = useShareLinks(companyId);
  const create = useCreateShareLink(companyId);
  const revoke = useRevokeShareLink(companyId);
  const [created, setCreated] = useState<CreatedShareLink | null>(null);
  const form = useForm({
    initialValues: {
      label: "",
      expiry: "30",
      include_reasons: false,
      for_stakeholders: false,
    },
  });
  return (
    <Card>
      <Title order={3} size="h4" mb={4}>
        Share
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        A read-only page of this company for people without an account: the milestone track,
        evidence titles and links, achievements. No people, tasks, updates or files.
      </Text>
      <form
        noValidate
        aria-label="Create a share link"
        onSubmit={form.onSubmit((v) =>
          create.mutate(
            {
              label: v.label.trim(),
              expires_at: expiresAt(v.expiry),
              include_reasons: v.include_reasons,
              for_stakeholders: v.for_stakeholders,
            },
            {
              onSuccess: (link) => {
                setCreated(link);
                form.reset();
              },
            },
          ),
        )}
      >
        <Stack gap="xs" mb="md">
          <FormError error={create.error} />
          <Group align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label="Label"
              placeholder="e.g. Board, March"
              {...form.getInputProps("label")}
              style={{ flex: 2, minWidth: 200 }}
            />
            <Select
              label="Expires"
              data={EXPIRIES}
              allowDeselect={false}
              {...form.getInputProps("expiry")}
              style={{ minWidth: 140 }}
            />
            <Button type="submit" loading={create.isPending}>
              Create link
            </Button>
          </Group>
          <Group gap="lg">
            <Checkbox
              label="Show the coaches' reasons"
              {...form.getInputProps("include_reasons", { type: "checkbox" })}
            />
            <Checkbox
              label="Link it from stakeholders' e-mails"
              {...form.getInputProps("for_stakeholders", { type: "checkbox" })}
            />
          </Group>
        </Stack>
      </form>
      {created && <CreatedLink link={created} />}
      <QueryBoundary query={links} loadingLabel="Loading share links…">
        {(items) =>
          items.length === 0 ? (
            <EmptyState title="No share links yet">
              Create one to show this company's progress to an investor or a board.
            </EmptyState>
          ) : (
            <ScrollTable label="Share links" minWidth={640}>
              <Table striped mt="md">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Label</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>Views</Table.Th>
                    <Table.Th>Last viewed</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((link) => {
                    const state = linkState(link);
                    return (
                      <Table.Tr key={link.id}>
                        <Table.Td>
                          {link.label || "—"}
                          {link.for_stakeholders && (
                            <Badge ml="xs" variant="light" size="sm">
                              stakeholders
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge color={state.color} variant="light">
                            {state.label}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{shortDate(link.created_at)}</Table.Td>
                        <Table.Td>
                          {link.expires_at ? shortDate(link.expires_at) : "Never"}
                        </Table.Td>
                        <Table.Td>{link.view_count}</Table.Td>
                        <Table.Td>
                          {link.last_viewed_at ? exact(link.last_viewed_at) : "—"}
                        </Table.Td>
                        <Table.Td>
                          {state.label === "Active" && (
                            <Button
                              size="xs"
                              color="red"
                              variant="light"
                              aria-label={`Revoke share link ${link.label || link.id}`}
                              loading={revoke.isPending && revoke.variables === link.id}
                              onClick={() =>
                                revoke.mutate(link.id, {
                                  onError: (e) =>
                                    notifications.show({
                                      title: "Not revoked",
                                      message: errorMessage(e),
                                      color: "red",
                                    }),
                                })
                              }
                            >
                              Revoke
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryBoundary>
    </Card>
  );
}
