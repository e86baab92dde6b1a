import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { FormError } from "@/components/FormError";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { ScrollTable } from "@/components/ScrollTable";
import { errorMessage } from "@/lib/errors";
import { useAddStakeholder, useRemoveStakeholder, useStakeholders } from "./api";

export default function StakeholdersPanel({ companyId }: { companyId: number }) {
  const stakeholders = useStakeholders(companyId);
  const add = useAddStakeholder(companyId);
  const remove = useRemoveStakeholder(companyId);
  const form = useForm({
    initialValues: { email: "", name: "" },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : "Enter an e-mail address"),
    },
  });
  return (
    <Card>
      <Title order={3} size="h4" mb={4}>
        Stakeholders
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Investors and partners who get an e-mail when this company reaches or reverts a milestone.
      </Text>
      <form
        noValidate
        aria-label="Add a stakeholder"
        onSubmit={form.onSubmit((v) =>
          add.mutate(
            { email: v.email.trim(), name: v.name.trim() },
            {
              onSuccess: () => {
                notifications.show({ message: `${v.email.trim()} added`, color: "green" });
                form.reset();
              },
            },
          ),
        )}
      >
        <Stack gap="xs" mb="md">
          <FormError error={add.error} />
          <Group align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label="Stakeholder e-mail"
              required
              {...form.getInputProps("email")}
              style={{ flex: 2, minWidth: 200 }}
            />
            <TextInput
              label="Stakeholder name"
              {...form.getInputProps("name")}
              style={{ flex: 1, minWidth: 150 }}
            />
            <Button type="submit" loading={add.isPending}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
      <QueryBoundary query={stakeholders} loadingLabel="Loading stakeholders…">
        {(items) =>
          items.length === 0 ? (
            <EmptyState title="No stakeholders yet" />
          ) : (
            <ScrollTable label="Stakeholders" minWidth={400}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>E-mail</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Subscribed</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>{s.email}</Table.Td>
                      <Table.Td>{s.name ?? "—"}</Table.Td>
                      <Table.Td>
                        <Badge color={s.subscribed ? "green" : "gray"} variant="light">
                          {s.subscribed ? "Subscribed" : "Unsubscribed"}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon
                          color="red"
                          variant="subtle"
                          aria-label={`Remove stakeholder ${s.email}`}
                          loading={remove.isPending && remove.variables === s.id}
                          onClick={() =>
                            remove.mutate(s.id, {
                              onError: (e) =>
                                notifications.show({
                                  title: "Not removed",
                                  message: errorMessage(e),
                                  color: "red",
                                }),
                            })
                          }
                        >
                          ✕
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryBoundary>
    </Card>
  );
}
