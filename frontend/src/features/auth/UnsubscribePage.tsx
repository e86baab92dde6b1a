import { Alert, Button, Stack, Text } from "@mantine/core";
import { useParams } from "react-router";
import { FormError } from "@/components/FormError";
import { AuthCard } from "./AuthCard";
import { useUnsubscribe } from "./api";

export default function UnsubscribePage() {
  const { token = "" } = useParams();
  const unsubscribe = useUnsubscribe();
  return (
    <AuthCard title="Unsubscribe">
      {unsubscribe.isSuccess ? (
        <Alert color="green" role="status" title="You are unsubscribed">
          You will no longer receive milestone e-mails for this company.
        </Alert>
      ) : (
        <Stack>
          <Text>Stop receiving e-mails when this company reaches or reverts a milestone?</Text>
          <FormError error={unsubscribe.error} />
          <Button
            color="red"
            onClick={() => unsubscribe.mutate(token)}
            loading={unsubscribe.isPending}
            disabled={!token}
          >
            Unsubscribe
          </Button>
        </Stack>
      )}
    </AuthCard>
  );
}
