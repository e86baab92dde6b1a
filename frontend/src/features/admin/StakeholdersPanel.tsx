import {
  ActionIcon,
  Badge,
  Button,
  Card,
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
import { FormError } from "@/components/FormError";
import { EmptyState, QueryBoundary } from "@/components/QueryState";
import { ScrollTable } from "@/components/ScrollTable";
import { errorMessage } from "@/lib/errors";
import {
  type Frequency,
  useAddStakeholder,
  useRemoveStakeholder,
  useStakeholders,
  useUpdateStakeholder,
} from "./api";

const FREQUENCIES = [
  { value: "immediate", label: "Every change" },
  { value: "weekly", label: "Weekly digest" },
];

export default function StakeholdersPanel({ companyId }: { companyId: number }) {
  const stakeholders = useStakeholders(companyId);
  const add = useAddStakeholder(companyId);
  const remove = useRemoveStakeholder(companyId);
  const update = useUpdateStakeholder(companyId);
  const form = useForm({
    initialValues: { email: "", name: "", frequency: "immediate" as Frequency },
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
        Investors and partners who get an e-mail when this company reaches or reverts a milestone,
        at once or in one weekly digest over every company they follow weekly.
      </Text>
      <form
        noValidate
        aria-label="Add a stakeholder"
        onSubmit={form.onSubmit((v) =>
          add.mutate(
            { email: v.email.trim(), name: v.name.trim(), frequency: v.frequency },
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
            <Select
              label="Mail"
              data={FREQUENCIES}
              allowDeselect={false}
              {...form.getInputProps("frequency")}
              style={{ minWidth: 150 }}
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
                    <Table.Th>Mail</Table.Th>
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
                        <Select
                          aria-label={`Mail for ${s.email}`}
                          data={FREQUENCIES}
                          value={s.frequency}
                          allowDeselect={false}
                          size="xs"
                          disabled={update.isPending && update.variables?.id === s.id}
                          onChange={(value) =>
                            value &&
                            update.mutate(
                              { id: s.id, frequency: value as Frequency },
                              {
                                onError: (e) =>
                                  notifications.show({
                                    title: "Not changed",
                                    message: errorMessage(e),
                                    color: "red",
                                  }),
                              },
                            )
                          }
                        />
                      </Table.Td>
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
