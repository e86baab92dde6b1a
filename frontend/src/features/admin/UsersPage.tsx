import { Badge, Button, Group, PasswordInput, Select, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { FormModal, useFormDialog } from "@/components/FormModal";
import { PagedTable } from "@/components/PagedTable";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState } from "@/components/QueryState";
import { errorMessage, fieldErrors } from "@/lib/errors";
import type { Role, User } from "@/lib/types";
import { useCreateUser, usePatchUser, useUsers } from "./api";

const ROLE_OPTIONS = [
  { value: "coach", label: "Coach" },
  { value: "member", label: "Company member" },
  { value: "admin", label: "Admin" },
];

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateUser();
  const form = useForm({
    initialValues: { email: "", name: "", role: "coach", password: "" },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : "Enter an e-mail address"),
      name: (v) => (v.trim() ? null : "Enter a name"),
      password: (v) =>
        v === "" || v.length >= 8 ? null : "At least 8 characters, or leave empty to invite",
    },
  });
  const dialog = useFormDialog({ opened, onClose }, form, create);
  const server = fieldErrors(create.error);
  return (
    <FormModal
      {...dialog.modal}
      title="New user"
      onSubmit={form.onSubmit((v) =>
        create.mutate(
          {
            email: v.email.trim(),
            name: v.name.trim(),
            role: v.role as Role,
            password: v.password || undefined,
          },
          {
            onSuccess: (user) =>
              dialog.saved(
                v.password ? `${user.name} can sign in now` : `Invitation sent to ${user.email}`,
              ),
          },
        ),
      )}
      submitLabel="Create user"
    >
      <TextInput
        label="E-mail"
        type="email"
        required
        {...form.getInputProps("email")}
        error={form.errors.email ?? server.email}
      />
      <TextInput
        label="Name"
        required
        {...form.getInputProps("name")}
        error={form.errors.name ?? server.name}
      />
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        allowDeselect={false}
        {...form.getInputProps("role")}
      />
      <PasswordInput
        label="Password"
        description="Leave empty to e-mail an invitation with a set-password link"
        autoComplete="new-password"
        {...form.getInputProps("password")}
      />
    </FormModal>
  );
}

export default function UsersPage() {
  const [page, setPage] = useState(1);
  const [role, setRole] = useState<string | null>(null);
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q, 300);
  const [opened, modal] = useDisclosure(false);
  const users = useUsers({
    page,
    page_size: 25,
    role: (role as Role | null) ?? undefined,
    q: debounced || undefined,
  });
  const patch = usePatchUser();

  const setActive = (u: User, active: boolean) =>
    patch.mutate(
      { id: u.id, active },
      {
        onSuccess: () =>
          notifications.show({
            message: `${u.name} ${active ? "reactivated" : "deactivated"}`,
            color: "green",
          }),
        onError: (e) =>
          notifications.show({ title: "Not changed", message: errorMessage(e), color: "red" }),
      },
    );

  return (
    <>
      <PageHeader
        title="Users"
        description="Coaches, company members and programme staff."
        actions={<Button onClick={modal.open}>New user</Button>}
      />
      <Group mb="md" wrap="wrap">
        <TextInput
          aria-label="Search users"
          placeholder="Search name or e-mail"
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          w={{ base: "100%", xs: 260 }}
        />
        <Select
          aria-label="Filter by role"
          placeholder="All roles"
          data={ROLE_OPTIONS}
          value={role}
          onChange={(v) => {
            setRole(v);
            setPage(1);
          }}
          clearable
          w={{ base: "100%", xs: 200 }}
        />
      </Group>
      <PagedTable
        query={users}
        loadingLabel="Loading users…"
        label="Users"
        minWidth={600}
        tableProps={{ striped: true, highlightOnHover: true }}
        empty={<EmptyState title="No users match" />}
        rowKey={(u) => u.id}
        columns={[
          { header: "Name", cell: (u) => u.name },
          { header: "E-mail", cell: (u) => u.email },
          { header: "Role", cell: (u) => u.role },
          { header: "Companies", cell: (u) => u.company_ids.length },
          {
            header: "Status",
            cell: (u) => (
              <Badge color={u.active ? "green" : "gray"} variant="light">
                {u.active ? "Active" : "Deactivated"}
              </Badge>
            ),
          },
          {
            header: "Action",
            cell: (u) => (
              <Button
                size="xs"
                variant="light"
                color={u.active ? "red" : "green"}
                loading={patch.isPending && patch.variables?.id === u.id}
                onClick={() => setActive(u, !u.active)}
                aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.name}`}
              >
                {u.active ? "Deactivate" : "Reactivate"}
              </Button>
            ),
          },
        ]}
        pagination={{ page, onChange: setPage, label: "User pages" }}
      />
      <Text size="xs" c="dimmed" mt="sm">
        A deactivated user cannot sign in and their open sessions stop working.
      </Text>
      <CreateUserModal opened={opened} onClose={modal.close} />
    </>
  );
}
