/** The session's CSRF token, taken from GET /auth/me or the login response. */
let token: string | null = null;

export function setCsrfToken(value: string | null | undefined): void {
  token = value ?? null;
}

export function getCsrfToken(): string | null {
  return token;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}
