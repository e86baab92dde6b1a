import { Alert, Anchor, Button, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link } from "react-router";
import { FormError } from "@/components/FormError";
import { AuthCard } from "./AuthCard";
import { useRequestPasswordReset } from "./api";

export default function ForgotPasswordPage() {
  const reset = useRequestPasswordReset();
  const form = useForm({
    initialValues: { email: "" },
    validate: { email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : "Enter your e-mail address") },
  });
  return (
    <AuthCard
      title="Reset your password"
      subtitle="We will e-mail you a link to choose a new password."
    >
      {reset.isSuccess ? (
        <Stack>
          <Alert color="green" role="status">
            If an account exists for that address, a link to set a new password is on its way.
          </Alert>
          <Anchor component={Link} to="/login">
            Back to sign in
          </Anchor>
        </Stack>
      ) : (
        <form noValidate onSubmit={form.onSubmit((v) => reset.mutate({ email: v.email.trim() }))}>
          <Stack>
            <FormError error={reset.error} />
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps("email")}
            />
            <Button type="submit" loading={reset.isPending}>
              Send the link
            </Button>
            <Anchor component={Link} to="/login" size="sm">
              Back to sign in
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
