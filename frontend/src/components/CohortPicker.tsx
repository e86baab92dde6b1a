import { Select } from "@mantine/core";
import { useCohorts } from "@/lib/cohorts";

/** The cohort of a company, on the company form (admins). */
export function CohortPicker({
  value,
  onChange,
  error,
}: {
  value?: string | null;
  onChange: (value: string | null) => void;
  error?: string;
}) {
  const cohorts = useCohorts();
  return (
    <Select
      label="Cohort"
      placeholder={cohorts.isPending ? "Loading cohorts…" : "No cohort"}
      data={(cohorts.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
      value={value ?? null}
      onChange={onChange}
      clearable
      nothingFoundMessage="No cohorts yet: create one under Cohorts"
      error={error ?? (cohorts.isError ? "Could not load cohorts" : undefined)}
    />
  );
}
