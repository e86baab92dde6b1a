import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { FormError } from "@/components/FormError";
import { PagedTable } from "@/components/PagedTable";
import { EmptyState } from "@/components/QueryState";
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
      <PagedTable
        query={stakeholders}
        loadingLabel="Loading stakeholders…"
        label="Stakeholders"
        minWidth={400}
        empty={<EmptyState title="No stakeholders yet" />}
        rowKey={(s) => s.id}
        columns={[
          { header: "E-mail", cell: (s) => s.email },
          { header: "Name", cell: (s) => s.name ?? "—" },
          {
            header: "Mail",
            cell: (s) => (
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
            ),
          },
          {
            header: "Subscribed",
            cell: (s) => (
              <Badge color={s.subscribed ? "green" : "gray"} variant="light">
                {s.subscribed ? "Subscribed" : "Unsubscribed"}
              </Badge>
            ),
          },
          {
            header: (
              <>
                <VisuallyHidden>Actions</VisuallyHidden>
              </>
            ),
            cell: (s) => (
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
            ),
          },
        ]}
      />
    </Card>
  );
}
