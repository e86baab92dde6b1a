import { Alert, Button, Group, List, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "@/lib/errors";
import { queryKeys } from "@/lib/queryKeys";
import type { MilestoneStatus } from "@/lib/types";
import { useToggleMilestone } from "./api";

export const MAX_REASON_LENGTH = 2000;

/** What the dialog says when the API refuses, by status. */
export function toggleRefusal(error: unknown): { title: string; message: string; stale: boolean } {
  const message = errorMessage(error);
  if (error instanceof ApiError) {
    if (error.status === 412)
      return {
        title: "Changed by someone else",
        message: `${message} Reload to see the current status, then decide again.`,
        stale: true,
      };
    if (error.status === 409) return { title: "Milestone order", message, stale: false };
    if (error.status === 422)
      return { title: "Cannot change this milestone yet", message, stale: false };
    if (error.status === 403) return { title: "Not allowed", message, stale: false };
  }
  return { title: "The change was not saved", message, stale: false };
}

export function ToggleDialog({
  companyId,
  status,
  opened,
  onClose,
}: {
  companyId: number;
  status: MilestoneStatus;
  opened: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const reverting = status.achieved;
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const toggle = useToggleMilestone(companyId, status.milestone);
  const { reset } = toggle;

  useEffect(() => {
    if (opened) {
      setReason("");
      setReasonError(null);
      reset();
    }
  }, [opened, reset]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (reverting && !trimmed) {
      setReasonError("A reason is required when reverting a milestone");
      return;
    }
    if (trimmed.length > MAX_REASON_LENGTH) {
      setReasonError(`Keep the reason under ${MAX_REASON_LENGTH} characters`);
      return;
    }
    setReasonError(null);
    toggle.mutate(
      { achieved: !reverting, reason: trimmed || undefined, etag: status.etag || null },
      { onSuccess: onClose },
    );
  };

  const reload = async () => {
    // Fresh statuses bring a fresh etag with them.
    await qc.invalidateQueries({ queryKey: queryKeys.companies.detail(companyId) });
    toggle.reset();
    onClose();
  };

  const refusal = toggle.error ? toggleRefusal(toggle.error) : null;
  const unmet = reverting ? [] : status.criteria.filter((c) => !c.met);
  const title = reverting ? `Revert “${status.title}”` : `Mark “${status.title}” as achieved`;

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            {reverting
              ? "The milestone goes back to not achieved, and the next milestone has not started. Members, coaches and stakeholders are told by e-mail."
              : "Members, coaches and stakeholders of this company are told by e-mail."}
          </Text>
          {unmet.length > 0 && (
            <Alert color="yellow" title="Criteria not met yet" variant="light" role="note">
              <Text size="sm">
                {unmet.length} of {status.criteria.length} criteria are not marked met:
              </Text>
              <List size="sm" aria-label="Criteria not met yet">
                {unmet.map((c) => (
                  <List.Item key={c.key}>{c.text}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {refusal && (
            <Alert color={refusal.stale ? "yellow" : "red"} title={refusal.title} role="alert">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{refusal.message}</Text>
                {refusal.stale && (
                  <Button size="xs" variant="light" onClick={reload}>
                    Reload the milestone
                  </Button>
                )}
              </Stack>
            </Alert>
          )}
          <Textarea
            label="Reason"
            description={
              reverting
                ? "Required: why is this milestone no longer achieved?"
                : "Optional: what shows the milestone is reached?"
            }
            required={reverting}
            autosize
            minRows={3}
            maxRows={10}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={reasonError}
            maxLength={MAX_REASON_LENGTH}
          />
          <Text
            size="xs"
            c={reason.length >= MAX_REASON_LENGTH ? "red" : "dimmed"}
            ta="right"
            aria-live="polite"
          >
            {reason.length} / {MAX_REASON_LENGTH}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={reverting ? "red" : "green"} loading={toggle.isPending}>
              {reverting ? "Revert milestone" : "Mark achieved"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
