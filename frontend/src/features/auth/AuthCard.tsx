import { Container, Paper, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useEffect } from "react";

export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Milestone Tracker`;
  }, [title]);
  return (
    <Container size={420} py={{ base: "lg", sm: 80 }} component="main">
      <Stack gap="xs" mb="lg" align="center">
        <Text fw={700} c="indigo.7" size="lg">
          Milestone Tracker
        </Text>
        <Title order={1} fz="h2" ta="center">
          {title}
        </Title>
        {subtitle && (
          <Text c="dimmed" ta="center" size="sm">
            {subtitle}
          </Text>
        )}
      </Stack>
      <Paper withBorder shadow="sm" p={{ base: "md", sm: "xl" }}>
        {children}
      </Paper>
    </Container>
  );
}
