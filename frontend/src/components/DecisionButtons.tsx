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
  const buttons = [
    {
      text: approveText,
      color: "green",
      variant: quiet ? "light" : "filled",
      loading: approving,
      onClick: onApprove,
    },
    { text: "Reject", color: "red", variant: quiet ? "subtle" : "light", onClick: onReject },
  ];
  return (
    <Group gap="xs" wrap="nowrap">
      {buttons.map((b) => (
        <Button
          key={b.text}
          size="xs"
          color={b.color}
          variant={b.variant}
          disabled={busy}
          loading={b.loading}
          onClick={b.onClick}
          aria-label={`${b.text} ${subject}`}
        >
          {b.text}
        </Button>
      ))}
    </Group>
  );
}
