import { Button, Card, Group, NumberInput, Select, Stack, Switch, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { FormError } from "@/components/FormError";
import { PageHeader } from "@/components/PageHeader";
import { QueryBoundary } from "@/components/QueryState";
import { fieldErrors } from "@/lib/errors";
import { type ProgrammeSettings, useSettings } from "@/lib/settings";
import { useUpdateSettings } from "./api";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function SettingsForm({ initial }: { initial: ProgrammeSettings }) {
  const update = useUpdateSettings();
  const form = useForm({ initialValues: initial });
  const days = (name: keyof ProgrammeSettings, label: string, description: string) => (
    <NumberInput
      label={label}
      description={description}
      min={1}
      max={3650}
      allowDecimal={false}
      {...form.getInputProps(name)}
    />
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        update.mutate(values, {
          onSuccess: (saved) => {
            form.setValues(saved);
            form.resetDirty(saved);
            notifications.show({ message: "Settings saved", color: "green" });
          },
          onError: (e) => form.setErrors(fieldErrors(e)),
        }),
      )}
    >
      <Stack>
        <FormError error={update.error} />
        <Card>
          <Text fw={600} mb="xs">
            Attention on the portfolio
          </Text>
          <Stack>
            <NumberInput
              label="Stall factor"
              description="A company is stalled once its days in the current milestone reach this many times the programme's median days for that milestone (1 to 10)."
              min={1}
              max={10}
              step={0.1}
              decimalScale={2}
              {...form.getInputProps("stall_factor")}
            />
            {days(
              "stall_min_days",
              "Minimum days before a stall",
              "Never stalled before this many days; also the threshold while fewer than 3 companies have achieved the milestone (no median yet).",
            )}
            {days(
              "stale_review_days",
              "Days before a review is waiting",
              "A submitted task or pending update this many days old shows as “Reviews waiting”.",
            )}
            {days(
              "inactive_days",
              "Days of silence before inactive",
              "A company with no activity (tasks, updates, evidence, reviews, milestones) for this many days shows as “Inactive”.",
            )}
          </Stack>
        </Card>
        <Card>
          <Text fw={600} mb="xs">
            Weekly digest
          </Text>
          <Group grow align="flex-start">
            <Select
              label="Weekday"
              description="Day of the week the digests go out."
              data={WEEKDAYS.map((label, i) => ({ value: String(i + 1), label }))}
              allowDeselect={false}
              value={String(form.values.digest_weekday)}
              onChange={(v) => form.setFieldValue("digest_weekday", Number(v))}
              error={form.errors.digest_weekday}
            />
            <NumberInput
              label="Hour (UTC)"
              description="0 to 23."
              min={0}
              max={23}
              allowDecimal={false}
              {...form.getInputProps("digest_hour_utc")}
            />
          </Group>
        </Card>
        <Card>
          <Switch
            label="Require every criterion"
            description="Achieving a milestone needs all of its criteria checked as met."
            {...form.getInputProps("require_all_criteria", { type: "checkbox" })}
          />
        </Card>
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function SettingsPage() {
  const settings = useSettings();
  return (
    <>
      <PageHeader
        title="Programme settings"
        description="Thresholds of the portfolio's attention view and the time of the weekly digests."
      />
      <QueryBoundary query={settings} loadingLabel="Loading settings…">
        {(data) => <SettingsForm initial={data} />}
      </QueryBoundary>
    </>
  );
}
