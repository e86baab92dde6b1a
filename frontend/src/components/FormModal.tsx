import { Button, Group, Modal, Stack } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";
import { FormError } from "./FormError";

/** The admin forms' dialog: title, the API's error above the fields, Cancel and submit. */
export function FormModal({
  opened,
  onClose,
  title,
  onSubmit,
  error,
  loading,
  submitLabel,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** Usually Mantine's `form.onSubmit(...)`. */
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  error: unknown;
  loading: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form noValidate onSubmit={onSubmit}>
        <Stack>
          <FormError error={error} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
