import { Anchor, Button, Group, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { MilestoneBadge } from "@/components/Badges";
import { CohortPicker } from "@/components/CohortPicker";
import { FormModal, useEditDialog, useFormDialog } from "@/components/FormModal";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState } from "@/components/QueryState";
import { useCohorts } from "@/lib/cohorts";
import { useCompanies } from "@/lib/companies";
import { fieldErrors } from "@/lib/errors";
import { shortDate } from "@/lib/format";
import type { Company } from "@/lib/types";
import { useSaveCompany } from "./api";

export function CompanyFormModal({
  company,
  opened,
  onClose,
}: {
  company: Company | null;
  opened: boolean;
  onClose: () => void;
}) {
  const save = useSaveCompany();
  const form = useForm({
    initialValues: { name: "", description: "", joined_at: "", cohort_id: null as string | null },
    validate: { name: (v) => (v.trim() ? null : "Enter a name") },
  });
  const dialog = useFormDialog({ opened, onClose }, form, save, () => ({
    name: company?.name ?? "",
    description: company?.description ?? "",
    joined_at: company?.joined_at?.slice(0, 10) ?? "",
    cohort_id: company?.cohort_id == null ? null : String(company.cohort_id),
  }));
  const server = fieldErrors(save.error);
  return (
    <FormModal
      {...dialog.modal}
      title={company ? `Edit ${company.name}` : "New company"}
      onSubmit={form.onSubmit((v) =>
        save.mutate(
          {
            id: company?.id,
            name: v.name.trim(),
            description: v.description.trim(),
            joined_at: v.joined_at ? new Date(`${v.joined_at}T00:00:00Z`).toISOString() : undefined,
            cohort_id: v.cohort_id ? Number(v.cohort_id) : null,
          },
          { onSuccess: (c) => dialog.saved(`${c.name} saved`) },
        ),
      )}
      submitLabel="Save company"
    >
      <TextInput
        label="Company name"
        required
        {...form.getInputProps("name")}
        error={form.errors.name ?? server.name}
      />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
      <TextInput
        label="Joined the programme on"
        type="date"
        {...form.getInputProps("joined_at")}
        error={server.joined_at}
      />
      <CohortPicker {...form.getInputProps("cohort_id")} error={server.cohort_id} />
    </FormModal>
  );
}

export default function CompaniesAdminPage() {
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q, 300);
  const dialog = useEditDialog<Company>();
  const companies = useCompanies({ page, page_size: 25, q: debounced || undefined });
  const cohorts = useCohorts();
  const cohortNames = new Map((cohorts.data ?? []).map((c) => [c.id, c.name]));
  return (
    <>
      <PageHeader
        title="Companies"
        description="Create companies, edit them, and assign coaches and members."
        actions={<Button onClick={() => dialog.open(null)}>New company</Button>}
      />
      <TextInput
        aria-label="Search companies"
        placeholder="Search companies"
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setPage(1);
        }}
        mb="md"
        w={{ base: "100%", xs: 300 }}
      />
      <PagedTable
        query={companies}
        loadingLabel="Loading companies…"
        label="Companies"
        minWidth={560}
        tableProps={{ striped: true, highlightOnHover: true }}
        empty={
          <EmptyState title="No companies yet">Create the first one with “New company”.</EmptyState>
        }
        rowKey={(c) => c.id}
        columns={[
          {
            header: "Name",
            cell: (c) => (
              <Anchor component={Link} to={`/companies/${c.id}`}>
                {c.name}
              </Anchor>
            ),
          },
          {
            header: "Current milestone",
            cell: (c) => <MilestoneBadge milestone={c.current_milestone} />,
          },
          { header: "Joined", cell: (c) => shortDate(c.joined_at) },
          {
            header: "Cohort",
            cell: (c) => (c.cohort_id == null ? "—" : (cohortNames.get(c.cohort_id) ?? "…")),
          },
          {
            header: "Actions",
            cell: (c) => (
              <Group gap="xs" wrap="nowrap">
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => dialog.open(c)}
                  aria-label={`Edit ${c.name}`}
                >
                  Edit
                </Button>
                <Button
                  size="xs"
                  variant="subtle"
                  onClick={() => navigate(`/admin/companies/${c.id}`)}
                  aria-label={`People for ${c.name}`}
                >
                  People
                </Button>
              </Group>
            ),
          },
        ]}
        pagination={{ page, onChange: setPage, label: "Company pages" }}
      />
      <CompanyFormModal company={dialog.editing} opened={dialog.opened} onClose={dialog.onClose} />
    </>
  );
}
