import { Alert, Badge, Button, Card, Grid, Group, Stack, Tabs, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { lazy, Suspense } from "react";
import { LoadingState, QueryBoundary } from "@/components/QueryState";
import { mayOn } from "@/lib/abilities";
import { useViewer } from "@/lib/auth";
import { days, shortDate } from "@/lib/format";
import type { MilestoneStatus } from "@/lib/types";
import { useEvidence } from "./api";
import { CriteriaChecklist } from "./CriteriaChecklist";
import { EvidenceForm } from "./EvidenceForm";
import { EvidenceList } from "./EvidenceList";
import { EvidenceProposals } from "./EvidenceProposals";
import { ToggleDialog } from "./ToggleDialog";

// The drop zone (react-dropzone and its file reading) comes after the page, with the form.
const EvidenceUpload = lazy(() =>
  import("./EvidenceUpload").then((m) => ({ default: m.EvidenceUpload })),
);

export function MilestoneDetail({
  companyId,
  status,
}: {
  companyId: number;
  status: MilestoneStatus;
}) {
  const me = useViewer();
  const evidence = useEvidence(companyId, status.milestone);
  const [dialogOpen, dialog] = useDisclosure(false);
  const mayToggle = mayOn(me, companyId, "toggle");
  const mayManageEvidence = mayOn(me, companyId, "manage_evidence");
  // Members add evidence (a proposal) on the current milestone; coaches on any.
  const mayPropose = mayOn(me, companyId, "propose_evidence");
  const mayAddEvidence = mayManageEvidence || (mayPropose && status.state === "current");

  return (
    <Stack>
      <Card>
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2} size="h3">
                {status.title}
              </Title>
              <Badge
                color={status.achieved ? "green" : status.state === "current" ? "blue" : "gray"}
              >
                {status.achieved
                  ? "Achieved"
                  : status.state === "current"
                    ? "In progress"
                    : "Upcoming"}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              Started {shortDate(status.started_at)} · Achieved {shortDate(status.achieved_at)} ·{" "}
              {days(status.metrics.days_in_milestone)} in milestone
            </Text>
          </Stack>
          {mayToggle && (
            <Button
              color={status.achieved ? "red" : "green"}
              variant={status.achieved ? "outline" : "filled"}
              onClick={dialog.open}
            >
              {status.achieved ? "Revert to not achieved…" : "Mark as achieved…"}
            </Button>
          )}
        </Group>
      </Card>
      {mayToggle && status.suggested && status.suggestion && (
        <Alert color="teal" title="Suggested by the evidence" role="status">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Text size="sm">{status.suggestion}</Text>
            <Button size="xs" color="teal" onClick={dialog.open}>
              Review and decide…
            </Button>
          </Group>
        </Alert>
      )}
      {(mayManageEvidence || mayPropose) && (
        <EvidenceProposals companyId={companyId} forCoach={mayManageEvidence} />
      )}
      <QueryBoundary query={evidence} loadingLabel="Loading evidence…">
        {(items) => (
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <CriteriaChecklist
                companyId={companyId}
                status={status}
                evidence={items}
                canCheck={mayOn(me, companyId, "manage_evidence")}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Card>
                <Title order={3} size="h4" mb="sm">
                  Evidence ({items.length})
                </Title>
                <EvidenceList companyId={companyId} status={status} evidence={items} />
                {mayAddEvidence && (
                  <Title order={4} size="h5" mt="md">
                    {mayManageEvidence ? "Add evidence" : "Add evidence for your coach to review"}
                  </Title>
                )}
                {mayAddEvidence && (
                  <Tabs defaultValue="upload" mt="xs" keepMounted={false}>
                    <Tabs.List>
                      <Tabs.Tab value="upload">Upload document</Tabs.Tab>
                      <Tabs.Tab value="other">Link or metric</Tabs.Tab>
                    </Tabs.List>
                    <Tabs.Panel value="upload" pt="sm">
                      <Suspense fallback={<LoadingState label="Loading the upload form…" />}>
                        <EvidenceUpload companyId={companyId} status={status} />
                      </Suspense>
                    </Tabs.Panel>
                    <Tabs.Panel value="other" pt="sm">
                      <EvidenceForm companyId={companyId} status={status} />
                    </Tabs.Panel>
                  </Tabs>
                )}
              </Card>
            </Grid.Col>
          </Grid>
        )}
      </QueryBoundary>
      {mayToggle && (
        <ToggleDialog
          companyId={companyId}
          status={status}
          opened={dialogOpen}
          onClose={dialog.close}
        />
      )}
    </Stack>
  );
}
