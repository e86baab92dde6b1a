import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { useMe } from "@/lib/auth";
import { ApiError, errorMessage, formatRetryAfter } from "@/lib/errors";
import { AuthCard } from "./AuthCard";
import { useLogin } from "./api";

function safeNext(next: string | null): string {
  // Only same-app paths, never another origin.
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function loginErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    const wait =
      error.retryAfter != null ? ` Try again in ${formatRetryAfter(error.retryAfter)}.` : "";
    return `Too many sign-in attempts.${wait}`;
  }
  if (error instanceof ApiError && error.status === 401) {
    return error.message || "Wrong e-mail or password.";
  }
  return errorMessage(error);
}

export default function LoginPage() {
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : "Enter your e-mail address"),
      password: (v) => (v ? null : "Enter your password"),
    },
  });

  if (me.data) return <Navigate to={next} replace />;

  return (
    <AuthCard title="Sign in">
      <form
        onSubmit={form.onSubmit((values) =>
          login.mutate(
            { email: values.email.trim(), password: values.password },
            { onSuccess: () => navigate(next, { replace: true }) },
          ),
        )}
        noValidate
      >
        <Stack>
          {login.error && (
            <Alert color="red" role="alert" title="Could not sign in">
              {loginErrorMessage(login.error)}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            {...form.getInputProps("email")}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps("password")}
          />
          <Button type="submit" loading={login.isPending} fullWidth>
            Sign in
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm" ta="center">
            Forgot your password?
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
