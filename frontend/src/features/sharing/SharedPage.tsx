import "@/components/styles/full";
import {
  Anchor,
  Badge,
  Card,
  Container,
  Group,
  List,
  Stack,
  Text,
  Timeline,
  Title,
} from "@mantine/core";
import { useEffect } from "react";
import { useParams } from "react-router";
import { EmptyState, ErrorState, LoadingState } from "@/components/QueryState";
import { ApiError } from "@/lib/errors";
import { days, shortDate } from "@/lib/format";
import { type SharedMilestone, type SharedPageData, useSharedPage } from "./api";

/** Links leave without the page's address (it carries the token). */
function useNoReferrer() {
  useEffect(() => {
    const meta = document.createElement("meta");
    meta.name = "referrer";
    meta.content = "no-referrer";
    const robots = document.createElement("meta");
    robots.name = "robots";
    robots.content = "noindex";
    document.head.append(meta, robots);
    return () => {
      meta.remove();
      robots.remove();
    };
  }, []);
}

function Evidence({ milestone }: { milestone: SharedMilestone }) {
  if (milestone.evidence.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No evidence shared for this milestone.
      </Text>
    );
  return (
    <List size="sm" spacing={4}>
      {milestone.evidence.map((item) => (
        <List.Item key={`${item.title}-${item.created_at}`}>
          {item.url ? (
            <Anchor href={item.url} target="_blank" rel="noopener noreferrer">
              {item.title}
            </Anchor>
          ) : (
            item.title
          )}
          {item.metric_value != null && (
            <Text span c="dimmed">
              {" "}
              · {item.metric_value} {item.metric_unit ?? ""}
            </Text>
          )}
          <Text span size="xs" c="dimmed">
            {" "}
            · {item.evidence_type}, {shortDate(item.created_at)}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

const STATE_COLORS: Record<string, string> = {
  achieved: "green",
  current: "indigo",
  upcoming: "gray",
};

function Track({ data }: { data: SharedPageData }) {
  const reached = data.milestones.filter((m) => m.state === "achieved").length;
  return (
    <Timeline
      active={reached - 1}
      bulletSize={22}
      lineWidth={2}
      aria-label="Milestone track"
      component="ol"
      style={{ listStyle: "none", paddingLeft: 0, margin: 0 }}
    >
      {data.milestones.map((m, i) => (
        <Timeline.Item
          key={m.milestone}
          component="li"
          color={STATE_COLORS[m.state]}
          bullet={<Text size="xs">{i + 1}</Text>}
          title={
            <Group gap="xs">
              <Text fw={600}>{m.title}</Text>
              <Badge variant="light" color={STATE_COLORS[m.state]}>
                {m.state}
              </Badge>
            </Group>
          }
        >
          <Stack gap={4} mt={4}>
            <Text size="sm" c="dimmed">
              {m.state === "achieved"
                ? `Reached ${shortDate(m.achieved_at)} after ${days(m.days_in_milestone)}`
                : m.state === "current"
                  ? `In progress for ${days(m.days_in_milestone)}`
                  : "Not started"}
            </Text>
            <Evidence milestone={m} />
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

export default function SharedPage() {
  const { token = "" } = useParams();
  const page = useSharedPage(token);
  useNoReferrer();
  useEffect(() => {
    if (page.data) document.title = `${page.data.company.name} · Milestone Tracker`;
  }, [page.data]);

  let body: React.ReactNode;
  if (page.isPending) body = <LoadingState label="Loading…" />;
  else if (page.error instanceof ApiError && page.error.status === 404)
    body = (
      <EmptyState title="This link does not work">
        It may have expired or been revoked. Ask the person who shared it for a new one.
      </EmptyState>
    );
  else if (page.error || !page.data)
    body = <ErrorState error={page.error} onRetry={() => page.refetch()} />;
  else {
    const data = page.data;
    body = (
      <Stack>
        <Stack gap={4}>
          <Title order={1}>{data.company.name}</Title>
          {data.company.description && <Text c="dimmed">{data.company.description}</Text>}
        </Stack>
        <Card>
          <Title order={2} size="h4" mb="md">
            Milestones
          </Title>
          <Track data={data} />
        </Card>
        <Card>
          <Title order={2} size="h4" mb="md">
            Achievements
          </Title>
          {data.achievements.length === 0 ? (
            <EmptyState title="No milestone reached yet" />
          ) : (
            <Timeline bulletSize={14} lineWidth={2}>
              {data.achievements.map((a) => (
                <Timeline.Item
                  key={`${a.milestone}-${a.created_at}`}
                  title={`${data.milestones.find((m) => m.milestone === a.milestone)?.title ?? a.milestone} ${a.achieved ? "reached" : "reverted"}`}
                >
                  <Text size="xs" c="dimmed">
                    {shortDate(a.created_at)}
                  </Text>
                  {data.include_reasons && a.reason && <Text size="sm">{a.reason}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Card>
      </Stack>
    );
  }
  return (
    <Container size="sm" py="xl" component="main">
      <Text size="sm" c="indigo.7" fw={700} mb="md">
        Milestone Tracker · shared page
      </Text>
      {body}
    </Container>
  );
}
