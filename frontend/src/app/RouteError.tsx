import { Alert, Button, Container, Stack, Text } from "@mantine/core";
import { useRouteError } from "react-router";
import { errorMessage } from "@/lib/errors";

export function RouteError() {
  const error = useRouteError();
  return (
    <Container size="sm" py="xl">
      <Alert color="red" title="Something went wrong" role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{errorMessage(error)}</Text>
          <Button variant="light" color="red" onClick={() => window.location.reload()}>
            Reload the page
          </Button>
        </Stack>
      </Alert>
    </Container>
  );
}
