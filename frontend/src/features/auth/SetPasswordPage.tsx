import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link, useSearchParams } from "react-router";
import { FormError } from "@/components/FormError";
import { fieldErrors } from "@/lib/errors";
import { AuthCard } from "./AuthCard";
import { useSetPassword } from "./api";

export const MIN_PASSWORD_LENGTH = 8;

export default function SetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const setPassword = useSetPassword();
  const form = useForm({
    initialValues: { password: "", confirm: "" },
    validate: {
      password: (v) =>
        v.length >= MIN_PASSWORD_LENGTH ? null : `Use at least ${MIN_PASSWORD_LENGTH} characters`,
      confirm: (v, values) => (v === values.password ? null : "The passwords do not match"),
    },
  });

  if (!token) {
    return (
      <AuthCard title="Set your password">
        <Stack>
          <Alert color="red" role="alert">
            This link is incomplete. Open the link from your e-mail again, or ask for a new one.
          </Alert>
          <Anchor component={Link} to="/forgot-password">
            Send me a new link
          </Anchor>
        </Stack>
      </AuthCard>
    );
  }

  if (setPassword.isSuccess) {
    return (
      <AuthCard title="Password set">
        <Stack>
          <Text>Your password is set. You can sign in now.</Text>
          <Button component={Link} to="/login">
            Go to sign in
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  const serverFields = fieldErrors(setPassword.error);
  return (
    <AuthCard title="Set your password" subtitle="Choose a password for your account.">
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          setPassword.mutate({ token, password: values.password }),
        )}
      >
        <Stack>
          <FormError error={setPassword.error} />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            description={`At least ${MIN_PASSWORD_LENGTH} characters`}
            {...form.getInputProps("password")}
            error={form.errors.password ?? serverFields.password}
          />
          <PasswordInput
            label="Repeat the password"
            autoComplete="new-password"
            required
            {...form.getInputProps("confirm")}
          />
          <Button type="submit" loading={setPassword.isPending}>
            Set password
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            Link expired? Ask for a new one
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
