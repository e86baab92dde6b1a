import { Select } from "@mantine/core";
import { useSearchParams } from "react-router";
import { useCohorts } from "@/lib/cohorts";

/** The `cohort` search parameter of the page's URL, as a cohort id (undefined: all). */
export function useCohortParam(): [number | undefined, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get("cohort"));
  const value = Number.isInteger(raw) && raw > 0 ? raw : undefined;
  const set = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set("cohort", id);
    else next.delete("cohort");
    next.delete("page");
    setParams(next, { replace: true });
  };
  return [value, set];
}

/** A cohort picker for filters: hidden when the caller sees no cohort. */
export function CohortFilter({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange: (id: string | null) => void;
}) {
  const cohorts = useCohorts();
  const data = (cohorts.data ?? []).map((c) => ({ value: String(c.id), label: c.name }));
  if (cohorts.isSuccess && data.length === 0) return null;
  return (
    <Select
      label="Cohort"
      placeholder={cohorts.isPending ? "Loading cohorts…" : "All cohorts"}
      data={data}
      value={value == null ? null : String(value)}
      onChange={onChange}
      clearable
      disabled={!cohorts.isSuccess}
      error={cohorts.isError ? "Could not load cohorts" : undefined}
      w={{ base: "100%", xs: 200 }}
    />
  );
}
