import { Alert } from "@mantine/core";
import { errorMessage } from "@/lib/errors";

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" variant="light">
      {errorMessage(error)}
    </Alert>
  );
}
