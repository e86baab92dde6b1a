import { Button, Group, Modal, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { FormError } from "./FormError";

/** An edit dialog's state: which item it shows (null: a new one) and whether it is open. */
export function useEditDialog<T>() {
  const [editing, setEditing] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  const open = useCallback((item: T | null) => {
    setEditing(item);
    setOpened(true);
  }, []);
  const onClose = useCallback(() => setOpened(false), []);
  return { editing, opened, open, onClose };
}

/**
 * The round of an admin dialog around FormModal, given the dialog's `{ opened, onClose }`:
 * each time it opens, the last save's error goes and the fields get `values()` (the item
 * edited) or, without it, the form's initial values. Returns `modal`, FormModal's props for
 * the dialog and the save (open, close, the API's error, busy), and `saved(message)`, for
 * the save's onSuccess: a green notification, then the dialog closes.
 */
export function useFormDialog<Values>(
  { opened, onClose }: { opened: boolean; onClose: () => void },
  /** Mantine's `useForm()`. */
  form: { setValues: (values: Values) => void; reset: () => void },
  /** The save's `useMutation()`. */
  mutation: { reset: () => void; error: unknown; isPending: boolean },
  values?: () => Values,
) {
  // Read when the dialog opens, not a reason to fill the fields again.
  const latestValues = useRef(values);
  latestValues.current = values;
  const { setValues, reset: resetForm } = form;
  const { reset: resetMutation } = mutation;
  useEffect(() => {
    if (!opened) return;
    resetMutation();
    const initial = latestValues.current;
    if (initial) setValues(initial());
    else resetForm();
  }, [opened, setValues, resetForm, resetMutation]);
  const saved = useCallback(
    (message: string) => {
      notifications.show({ message, color: "green" });
      onClose();
    },
    [onClose],
  );
  const modal = { opened, onClose, error: mutation.error, loading: mutation.isPending };
  return { modal, saved };
}

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
