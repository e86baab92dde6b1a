import { Button, Group, Modal, Stack, Textarea } from "@mantine/core";
import { useEffect, useState } from "react";
import { FormError } from "./FormError";

/** Asks for a comment (a rejection reason) before running an action. */
export function CommentDialog({
  opened,
  title,
  label = "Comment",
  confirmLabel,
  required = false,
  error,
  loading,
  onClose,
  onConfirm,
}: {
  opened: boolean;
  title: string;
  label?: string;
  confirmLabel: string;
  required?: boolean;
  error?: unknown;
  loading?: boolean;
  onClose: () => void;
  onConfirm: (comment: string) => void;
}) {
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (opened) {
      setComment("");
      setMissing(false);
    }
  }, [opened]);
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (required && !comment.trim()) {
            setMissing(true);
            return;
          }
          onConfirm(comment.trim());
        }}
      >
        <Stack>
          <FormError error={error} />
          <Textarea
            label={label}
            required={required}
            autosize
            minRows={3}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={missing ? "Please write a comment" : null}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={loading}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
