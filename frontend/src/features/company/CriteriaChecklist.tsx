import { Anchor, Card, List, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import type { Evidence, MilestoneStatus } from "@/lib/types";
import { evidenceDownloadUrl } from "./api";

export function evidenceHref(e: Evidence): string | null {
  if (e.evidence_type === "document") return e.download_url || evidenceDownloadUrl(e.id);
  if (e.evidence_type === "link") return e.url ?? null;
  return null;
}

export function CriteriaChecklist({
  status,
  evidence,
}: {
  status: MilestoneStatus;
  evidence: Evidence[];
}) {
  return (
    <Card>
      <Title order={3} size="h4" mb="sm">
        Criteria
      </Title>
      <List spacing="sm" listStyleType="none" aria-label={`Criteria for ${status.title}`}>
        {status.criteria.map((criterion) => {
          const linked = evidence.filter((e) => e.criterion === criterion.key);
          const met = linked.length > 0;
          return (
            <List.Item
              key={criterion.key}
              icon={
                <ThemeIcon
                  color={met ? "green" : "gray"}
                  variant={met ? "filled" : "light"}
                  radius="xl"
                  size="sm"
                  aria-hidden
                >
                  <Text size="xs" c="inherit">
                    {met ? "✓" : "·"}
                  </Text>
                </ThemeIcon>
              }
            >
              <Stack gap={2}>
                <Text size="sm">
                  {criterion.text}
                  <Text span size="xs" c={met ? "green.8" : "dimmed"} ml={6}>
                    {met ? `(${linked.length} evidence)` : "(no evidence yet)"}
                  </Text>
                </Text>
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
    </Card>
  );
}
