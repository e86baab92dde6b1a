import { Button, Group, TextInput, VisuallyHidden } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { FormModal, useEditDialog, useFormDialog } from "@/components/FormModal";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState } from "@/components/QueryState";
import { useCohorts } from "@/lib/cohorts";
import { errorMessage, fieldErrors } from "@/lib/errors";
import type { Cohort } from "@/lib/types";
import { useDeleteCohort, useSaveCohort } from "./api";

function CohortFormModal({
  cohort,
  opened,
  onClose,
}: {
  cohort: Cohort | null;
  opened: boolean;
  onClose: () => void;
}) {
  const save = useSaveCohort();
  const form = useForm({
    initialValues: { name: "", starts_on: "", ends_on: "" },
    validate: {
      name: (v) => (v.trim() ? null : "Enter a name"),
      starts_on: (v) => (v ? null : "Enter the start date"),
    },
  });
  const dialog = useFormDialog({ opened, onClose }, form, save, () => ({
    name: cohort?.name ?? "",
    starts_on: cohort?.starts_on ?? "",
    ends_on: cohort?.ends_on ?? "",
  }));
  const server = fieldErrors(save.error);
  return (
    <FormModal
      {...dialog.modal}
      title={cohort ? `Edit ${cohort.name}` : "New cohort"}
      onSubmit={form.onSubmit((v) =>
        save.mutate(
          {
            id: cohort?.id,
            name: v.name.trim(),
            starts_on: v.starts_on,
            ends_on: v.ends_on || null,
          },
          { onSuccess: (c) => dialog.saved(`${c.name} saved`) },
        ),
      )}
      submitLabel="Save cohort"
    >
      <TextInput
        label="Cohort name"
        required
        {...form.getInputProps("name")}
        error={form.errors.name ?? server.name}
      />
      <TextInput
        label="Starts on"
        type="date"
        required
        {...form.getInputProps("starts_on")}
        error={form.errors.starts_on ?? server.starts_on}
      />
      <TextInput
        label="Ends on"
        type="date"
        {...form.getInputProps("ends_on")}
        error={server.ends_on}
      />
    </FormModal>
  );
}

export default function CohortsAdminPage() {
  const cohorts = useCohorts();
  const remove = useDeleteCohort();
  const dialog = useEditDialog<Cohort>();
  const onDelete = (c: Cohort) =>
    remove.mutate(c.id, {
      onSuccess: () => notifications.show({ message: `${c.name} deleted`, color: "green" }),
      onError: (e) => notifications.show({ message: errorMessage(e), color: "red" }),
    });
  return (
    <>
      <PageHeader
        title="Cohorts"
        description="The programme's intakes. Put each company in its cohort from the company form."
        actions={<Button onClick={() => dialog.open(null)}>New cohort</Button>}
      />
      <PagedTable
        query={cohorts}
        loadingLabel="Loading cohorts…"
        label="Cohorts"
        minWidth={560}
        tableProps={{ striped: true, highlightOnHover: true }}
        empty={
          <EmptyState title="No cohorts yet">Create the first one with “New cohort”.</EmptyState>
        }
        rowKey={(c) => c.id}
        columns={[
          { header: "Name", cell: (c) => c.name },
          { header: "Starts", cell: (c) => c.starts_on },
          { header: "Ends", cell: (c) => c.ends_on ?? "—" },
          { header: "Companies", cell: (c) => c.company_count },
          {
            header: (
              <>
                <VisuallyHidden>Actions</VisuallyHidden>
              </>
            ),
            cell: (c) => (
              <Group gap="xs" justify="flex-end" wrap="nowrap">
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
                  color="red"
                  onClick={() => onDelete(c)}
                  disabled={c.company_count > 0}
                  title={
                    c.company_count > 0 ? "Move its companies to another cohort first" : undefined
                  }
                  aria-label={`Delete ${c.name}`}
                >
                  Delete
                </Button>
              </Group>
            ),
          },
        ]}
      />
      <CohortFormModal cohort={dialog.editing} opened={dialog.opened} onClose={dialog.onClose} />
    </>
  );
}
