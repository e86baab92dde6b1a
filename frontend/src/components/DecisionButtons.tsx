import { Button, Group } from "@mantine/core";

/** The approve/reject pair on a reviewable row (tasks, updates, proposed evidence);
 * `subject` names the item for screen readers ("task Pitch deck"). */
export function DecisionButtons({
  subject,
  approveText = "Approve",
  busy = false,
  approving = false,
  quiet = false,
  onApprove,
  onReject,
}: {
  subject: string;
  approveText?: string;
  busy?: boolean;
  approving?: boolean;
  /** Lighter buttons, for rows inside a list of documents. */
  quiet?: boolean;
  onApprove: () => void;
  onReject: () => void;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Button
        size="xs"
        color="green"
        variant={quiet ? "light" : "filled"}
        disabled={busy}
        loading={approving}
        onClick={onApprove}
        aria-label={`${approveText} ${subject}`}
      >
        {approveText}
      </Button>
      <Button
        size="xs"
        color="red"
        variant={quiet ? "subtle" : "light"}
        disabled={busy}
        onClick={onReject}
        aria-label={`Reject ${subject}`}
      >
        Reject
      </Button>
    </Group>
  );
}
