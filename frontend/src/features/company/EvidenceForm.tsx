import {
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { FormError } from "@/components/FormError";
import { fieldErrors } from "@/lib/errors";
import type { EvidenceCreate, MetricKey, MilestoneStatus } from "@/lib/types";
import { useCreateEvidence } from "./api";

/** SPEC's metric keys; the unit follows from the key. */
export const METRIC_KEYS: { value: MetricKey; label: string; unit: string }[] = [
  { value: "paying_customers", label: "Paying customers", unit: "customers" },
  { value: "mrr_usd", label: "MRR (USD)", unit: "USD" },
  { value: "arr_usd", label: "ARR (USD)", unit: "USD" },
  { value: "retention_rate_pct", label: "Customer retention (%)", unit: "%" },
  { value: "avg_deal_size_usd", label: "Average deal size (USD)", unit: "USD" },
  { value: "cac_usd", label: "Customer acquisition cost (USD)", unit: "USD" },
];

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export function EvidenceForm({
  companyId,
  status,
}: {
  companyId: number;
  status: MilestoneStatus;
}) {
  const create = useCreateEvidence(companyId, status.milestone);
  const form = useForm({
    initialValues: {
      evidence_type: "link" as "link" | "metric",
      title: "",
      description: "",
      url: "",
      metric_value: "" as number | string,
      metric_unit: "",
      metric_key: null as MetricKey | null,
      criterion: null as string | null,
    },
    validate: {
      title: (v) => (v.trim() ? null : "Enter a title"),
      url: (v, values) =>
        values.evidence_type === "link" && !isHttpUrl(v.trim())
          ? "Enter an http or https address"
          : null,
      metric_value: (v, values) =>
        values.evidence_type === "metric" && (v === "" || Number.isNaN(Number(v)))
          ? "Enter a number"
          : null,
      metric_unit: (v, values) =>
        values.evidence_type === "metric" && !values.metric_key && !v.trim()
          ? "Enter a unit"
          : null,
    },
  });
  const server = fieldErrors(create.error);

  const submit = form.onSubmit((v) => {
    const body: EvidenceCreate = {
      evidence_type: v.evidence_type,
      title: v.title.trim(),
      description: v.description.trim(),
    };
    if (v.criterion) body.criterion = v.criterion;
    if (v.evidence_type === "link") body.url = v.url.trim();
    else {
      body.metric_value = Number(v.metric_value);
      if (v.metric_key) body.metric_key = v.metric_key;
      else body.metric_unit = v.metric_unit.trim();
    }
    create.mutate(body, {
      onSuccess: () => {
        notifications.show({ message: `Added “${body.title}”`, color: "green" });
        form.reset();
        form.setFieldValue("evidence_type", v.evidence_type);
      },
    });
  });

  const isLink = form.values.evidence_type === "link";
  return (
    <form onSubmit={submit} noValidate aria-label="Add a link or metric">
      <Stack gap="sm">
        <SegmentedControl
          aria-label="Evidence type"
          data={[
            { value: "link", label: "Link" },
            { value: "metric", label: "Metric" },
          ]}
          {...form.getInputProps("evidence_type")}
        />
        <FormError error={create.error} />
        <TextInput
          label="Title"
          required
          {...form.getInputProps("title")}
          error={form.errors.title ?? server.title}
        />
        {isLink ? (
          <TextInput
            label="URL"
            type="url"
            placeholder="https://"
            required
            {...form.getInputProps("url")}
            error={form.errors.url ?? server.url}
          />
        ) : (
          <>
            <Select
              label="What it measures"
              placeholder="Something else (give the unit)"
              description="A known measure is charted and can suggest a milestone"
              data={METRIC_KEYS.map(({ value, label }) => ({ value, label }))}
              clearable
              {...form.getInputProps("metric_key")}
              error={server.metric_key}
            />
            <Group grow align="flex-start">
              <NumberInput
                label="Value"
                required
                {...form.getInputProps("metric_value")}
                error={form.errors.metric_value ?? server.metric_value}
              />
              {form.values.metric_key ? (
                <TextInput
                  label="Unit"
                  value={METRIC_KEYS.find((k) => k.value === form.values.metric_key)?.unit ?? ""}
                  readOnly
                  description="follows from the measure"
                />
              ) : (
                <TextInput
                  label="Unit"
                  placeholder="customers, EUR, %"
                  required
                  {...form.getInputProps("metric_unit")}
                  error={form.errors.metric_unit ?? server.metric_unit}
                />
              )}
            </Group>
          </>
        )}
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        <Select
          label="Criterion"
          placeholder="Not linked to a criterion"
          data={status.criteria.map((c) => ({ value: c.key, label: c.text }))}
          clearable
          {...form.getInputProps("criterion")}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {isLink ? "Add link" : "Add metric"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
