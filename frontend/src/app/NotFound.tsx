import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";

export function NotFound() {
  return (
    <Stack align="center" py="xl">
      <Title order={1}>Page not found</Title>
      <Text c="dimmed">This page does not exist, or you do not have access to it.</Text>
      <Button component={Link} to="/">
        Go to the start page
      </Button>
    </Stack>
  );
}
