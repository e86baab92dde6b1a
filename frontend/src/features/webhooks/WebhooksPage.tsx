import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  CopyButton,
  Drawer,
  Group,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { FormError } from "@/components/FormError";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState } from "@/components/QueryState";
import { errorMessage } from "@/lib/errors";
import { exact } from "@/lib/format";
import {
  type CreatedWebhook,
  EVENT_TYPES,
  type EventType,
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  usePatchWebhook,
  usePing,
  useRedeliver,
  useWebhooks,
  type Webhook,
} from "./api";

const STATUS_COLORS: Record<string, string> = {
  delivered: "green",
  pending: "yellow",
  failed: "red",
};

function failed(title: string) {
  return (e: unknown) => notifications.show({ title, message: errorMessage(e), color: "red" });
}

function CreateWebhook({ onCreated }: { onCreated: (hook: CreatedWebhook) => void }) {
  const create = useCreateWebhook();
  const form = useForm({
    initialValues: {
      url: "",
      description: "",
      events: ["milestone.achieved", "milestone.reverted"] as EventType[],
    },
    validate: {
      url: (v) => (v.trim() ? null : "Enter the receiver's URL"),
      events: (v) => (v.length ? null : "Choose at least one event"),
    },
  });
  return (
    <Card>
      <Title order={2} size="h4" mb="sm">
        Add a webhook
      </Title>
      <form
        noValidate
        aria-label="Add a webhook"
        onSubmit={form.onSubmit((v) =>
          create.mutate(
            { url: v.url.trim(), description: v.description.trim(), events: v.events },
            {
              onSuccess: (hook) => {
                onCreated(hook);
                form.reset();
              },
            },
          ),
        )}
      >
        <Stack gap="xs">
          <FormError error={create.error} />
          <TextInput
            label="URL"
            placeholder="https://hooks.example.com/milestones"
            description="https only; private and loopback addresses are refused"
            required
            {...form.getInputProps("url")}
          />
          <TextInput label="Description" {...form.getInputProps("description")} />
          <Checkbox.Group label="Events" required {...form.getInputProps("events")}>
            <Group mt={4} gap="md">
              {EVENT_TYPES.map((e) => (
                <Checkbox key={e.value} value={e.value} label={e.label} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending}>
              Add webhook
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Secret({ hook }: { hook: CreatedWebhook }) {
  return (
    <Alert color="green" title="Webhook added: copy its signing secret now" role="status">
      <Stack gap="xs">
        <Text size="sm">
          Deliveries to {hook.url} are signed with this secret (Standard Webhooks). It is not shown
          again.
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code style={{ flex: 1, overflowWrap: "anywhere" }}>{hook.secret}</Code>
          <CopyButton value={hook.secret}>
            {({ copied, copy }) => (
              <Button onClick={copy} color={copied ? "teal" : "indigo"}>
                {copied ? "Copied" : "Copy secret"}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const [page, setPage] = useState(1);
  const deliveries = useDeliveries(hook.id, page);
  const redeliver = useRedeliver(hook.id);
  const ping = usePing(hook.id);
  return (
    <Stack>
      <Group>
        <Button
          variant="light"
          loading={ping.isPending}
          onClick={() =>
            ping.mutate(undefined, {
              onSuccess: () => notifications.show({ message: "Ping queued", color: "green" }),
              onError: failed("Ping not queued"),
            })
          }
        >
          Send a ping
        </Button>
      </Group>
      <PagedTable
        query={deliveries}
        loadingLabel="Loading deliveries…"
        label="Deliveries"
        minWidth={560}
        empty={
          <EmptyState title="No deliveries yet">
            Deliveries appear here when a subscribed event happens, or after a ping.
          </EmptyState>
        }
        rowKey={(d) => d.id}
        columns={[
          {
            header: "Event",
            cell: (d) => (
              <>
                <Text size="sm">{d.type}</Text>
                <Text size="xs" c="dimmed">
                  {d.event_id}
                </Text>
              </>
            ),
          },
          {
            header: "Status",
            cell: (d) => (
              <Badge color={STATUS_COLORS[d.status] ?? "gray"} variant="light">
                {d.status}
              </Badge>
            ),
          },
          { header: "Tries", cell: (d) => d.attempts },
          {
            header: "Answer",
            cell: (d) => (
              <>
                <Text size="sm">{d.response_status ?? "—"}</Text>
                {d.last_error && (
                  <Text size="xs" c="red.8">
                    {d.last_error}
                  </Text>
                )}
              </>
            ),
          },
          { header: "Created", cell: (d) => exact(d.created_at) },
          {
            header: (
              <>
                <VisuallyHidden>Actions</VisuallyHidden>
              </>
            ),
            cell: (d) => (
              <Button
                size="xs"
                variant="subtle"
                aria-label={`Redeliver ${d.event_id}`}
                loading={redeliver.isPending && redeliver.variables === d.id}
                onClick={() => redeliver.mutate(d.id, { onError: failed("Not redelivered") })}
              >
                Redeliver
              </Button>
            ),
          },
        ]}
        pagination={{ page: page, onChange: setPage, label: "Deliveries pages" }}
      />
    </Stack>
  );
}

export default function WebhooksPage() {
  const webhooks = useWebhooks();
  const patch = usePatchWebhook();
  const remove = useDeleteWebhook();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [open, setOpen] = useState<Webhook | null>(null);
  return (
    <Stack>
      <PageHeader
        title="Webhooks"
        description="Signed HTTP callbacks to your CRM or chat when milestones, evidence, tasks and updates change."
      />
      <CreateWebhook onCreated={setCreated} />
      {created && <Secret hook={created} />}
      <Card>
        <PagedTable
          query={webhooks}
          loadingLabel="Loading webhooks…"
          label="Webhooks"
          minWidth={640}
          empty={<EmptyState title="No webhooks yet" />}
          rowKey={(hook) => hook.id}
          columns={[
            {
              header: "URL",
              cell: (hook) => (
                <>
                  <Text size="sm">{hook.url}</Text>
                  {hook.description && (
                    <Text size="xs" c="dimmed">
                      {hook.description}
                    </Text>
                  )}
                </>
              ),
              tdProps: { style: { overflowWrap: "anywhere" } },
            },
            {
              header: "Events",
              cell: (hook) => <Text size="xs">{hook.events.join(", ")}</Text>,
            },
            {
              header: "Active",
              cell: (hook) => (
                <Switch
                  aria-label={`Active: ${hook.url}`}
                  checked={hook.active}
                  disabled={patch.isPending}
                  onChange={(e) =>
                    patch.mutate(
                      { id: hook.id, active: e.currentTarget.checked },
                      { onError: failed("Not changed") },
                    )
                  }
                />
              ),
            },
            { header: "Failures", cell: (hook) => hook.failure_count },
            {
              header: "Last delivery",
              cell: (hook) => (hook.last_delivery_at ? exact(hook.last_delivery_at) : "—"),
            },
            {
              header: (
                <>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </>
              ),
              cell: (hook) => (
                <Group gap={4} wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => setOpen(hook)}>
                    Deliveries
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Delete webhook ${hook.url}`}
                    loading={remove.isPending && remove.variables === hook.id}
                    onClick={() => remove.mutate(hook.id, { onError: failed("Not deleted") })}
                  >
                    Delete
                  </Button>
                </Group>
              ),
            },
          ]}
        />
      </Card>
      <Drawer
        opened={open != null}
        onClose={() => setOpen(null)}
        position="right"
        size="xl"
        title={open ? `Deliveries to ${open.url}` : ""}
      >
        {open && <Deliveries hook={open} />}
      </Drawer>
    </Stack>
  );
}
