import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  Modal,
  Stack,
  Text,
  Textarea,
  ThemeIcon,
  Title,
  Tooltip,
} from "@mantine/core";
import { useEffect, useState } from "react";
import { FormError } from "@/components/FormError";
import { shortDate } from "@/lib/format";
import type { Evidence, MilestoneStatus, StatusCriterion } from "@/lib/types";
import { evidenceDownloadUrl, useCheckCriterion } from "./api";

export function evidenceHref(e: Evidence): string | null {
  if (e.evidence_type === "document") return e.download_url || evidenceDownloadUrl(e.id);
  if (e.evidence_type === "link") return e.url ?? null;
  return null;
}

const NOTE_MAX = 2000;

function NoteDialog({
  criterion,
  onClose,
  onSave,
  saving,
  error,
}: {
  criterion: StatusCriterion | null;
  onClose: () => void;
  onSave: (note: string) => void;
  saving: boolean;
  error: unknown;
}) {
  const [note, setNote] = useState("");
  useEffect(() => setNote(criterion?.note ?? ""), [criterion]);
  return (
    <Modal
      opened={criterion !== null}
      onClose={onClose}
      title={`Note on “${criterion?.text ?? ""}”`}
      centered
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSave(note.trim());
        }}
      >
        <Stack>
          <FormError error={error} />
          <Textarea
            label="Note"
            description="What shows it (or what is missing)"
            autosize
            minRows={3}
            maxLength={NOTE_MAX}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Save note
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The milestone's criteria: met or not (ticked by a coach, with who and when and a note),
 * with the accepted evidence naming each. Coaches tick them here. */
export function CriteriaChecklist({
  companyId,
  status,
  evidence,
  canCheck,
}: {
  companyId: number;
  status: MilestoneStatus;
  evidence: Evidence[];
  canCheck: boolean;
}) {
  const check = useCheckCriterion(companyId, status.milestone);
  const [editing, setEditing] = useState<StatusCriterion | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const met = status.criteria.filter((c) => c.met).length;

  const tick = (c: StatusCriterion, value: boolean) => {
    setPending(c.key);
    check.mutate(
      { criterion: c.key, met: value, note: c.note },
      { onSettled: () => setPending(null) },
    );
  };

  return (
    <Card>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Criteria
        </Title>
        <Text size="sm" c="dimmed">
          {met} of {status.criteria.length} met
        </Text>
      </Group>
      {!editing && <FormError error={check.error} />}
      <List spacing="sm" listStyleType="none" aria-label={`Criteria for ${status.title}`}>
        {status.criteria.map((criterion) => {
          const linked = evidence.filter(
            (e) => e.criterion === criterion.key && e.review_status === "accepted",
          );
          return (
            <List.Item
              key={criterion.key}
              icon={
                canCheck ? undefined : (
                  <ThemeIcon
                    color={criterion.met ? "green" : "gray"}
                    variant={criterion.met ? "filled" : "light"}
                    radius="xl"
                    size="sm"
                    aria-hidden
                  >
                    <Text size="xs" c="inherit">
                      {criterion.met ? "✓" : "·"}
                    </Text>
                  </ThemeIcon>
                )
              }
            >
              <Stack gap={2}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  {canCheck ? (
                    <Checkbox
                      checked={criterion.met}
                      disabled={pending === criterion.key}
                      onChange={(e) => tick(criterion, e.currentTarget.checked)}
                      label={criterion.text}
                      aria-label={`${criterion.text}: met`}
                    />
                  ) : (
                    <Text size="sm">{criterion.text}</Text>
                  )}
                  {canCheck && (
                    <Tooltip label="Write a note">
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        aria-label={`Note on ${criterion.text}`}
                        onClick={() => {
                          check.reset();
                          setEditing(criterion);
                        }}
                      >
                        ✎
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
                <Text size="xs" c={criterion.met ? "green.8" : "dimmed"}>
                  {criterion.met
                    ? `Met · ${criterion.met_by_name ?? "a coach"}, ${shortDate(criterion.met_at)}`
                    : "Not met yet"}
                  {` · ${criterion.evidence_count} accepted evidence`}
                </Text>
                {criterion.note && (
                  <Text size="xs" fs="italic">
                    {criterion.note}
                  </Text>
                )}
                {linked.map((e) => {
                  const href = evidenceHref(e);
                  return href ? (
                    <Anchor
                      key={e.id}
                      href={href}
                      size="xs"
                      target={e.evidence_type === "link" ? "_blank" : undefined}
                      rel="noopener noreferrer"
                    >
                      {e.title}
                    </Anchor>
                  ) : (
                    <Text key={e.id} size="xs" c="dimmed">
                      {e.title}
                      {e.metric_value != null && `: ${e.metric_value} ${e.metric_unit ?? ""}`}
                    </Text>
                  );
                })}
              </Stack>
            </List.Item>
          );
        })}
      </List>
      {canCheck && (
        <NoteDialog
          criterion={editing}
          onClose={() => setEditing(null)}
          saving={check.isPending}
          error={check.error}
          onSave={(note) =>
            editing &&
            check.mutate(
              { criterion: editing.key, met: editing.met, note },
              { onSuccess: () => setEditing(null) },
            )
          }
        />
      )}
    </Card>
  );
}
