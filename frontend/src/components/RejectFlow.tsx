import { type ReactNode, useState } from "react";
import { CommentDialog } from "@/components/CommentDialog";

/**
 * The one reject flow (tasks, updates, the review queue): `start(item)` opens a dialog
 * that asks for the required comment, runs `reject`, closes on success and shows the
 * API's message in the dialog on failure.
 */
export function useRejectFlow<T>({
  title,
  label,
  confirmLabel,
  reject,
}: {
  title: (item: T) => string;
  label: string;
  confirmLabel: string;
  reject: (item: T, comment: string) => Promise<unknown>;
}): { start: (item: T) => void; dialog: ReactNode } {
  const [item, setItem] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const start = (next: T) => {
    setError(null);
    setItem(next);
  };
  const dialog = (
    <CommentDialog
      opened={item !== null}
      title={item === null ? "" : title(item)}
      label={label}
      confirmLabel={confirmLabel}
      required
      error={error}
      loading={loading}
      onClose={() => setItem(null)}
      onConfirm={(comment) => {
        if (item === null) return;
        setLoading(true);
        reject(item, comment)
          .then(() => setItem(null))
          .catch((e: unknown) => setError(e))
          .finally(() => setLoading(false));
      }}
    />
  );
  return { start, dialog };
}
