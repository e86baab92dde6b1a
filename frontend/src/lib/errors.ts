/** One error shape for everything the API (or the network) can answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: Record<string, unknown> | undefined;
  /** Seconds from a Retry-After header (throttling), when the API sent one. */
  readonly retryAfter: number | undefined;

  constructor(opts: {
    status: number;
    code?: string;
    message: string;
    errors?: Record<string, unknown>;
    retryAfter?: number;
  }) {
    super(opts.message);
    this.name = "ApiError";
    this.status = opts.status;
    this.code = opts.code ?? String(opts.status);
    this.errors = opts.errors;
    this.retryAfter = opts.retryAfter;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: "The request was not understood.",
  401: "Please sign in.",
  403: "You are not allowed to do this.",
  404: "Not found.",
  409: "This conflicts with the current state.",
  412: "Someone else changed this in the meantime.",
  413: "The file is too large.",
  415: "This file type is not allowed.",
  422: "Some fields are not valid.",
  429: "Too many attempts. Please wait and try again.",
  500: "The server had a problem. Please try again.",
  502: "The server cannot be reached right now.",
  503: "The service is unavailable right now.",
};

export function fallbackMessage(status: number): string {
  return FALLBACK_MESSAGES[status] ?? `Request failed (${status}).`;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.round((date - Date.now()) / 1000));
}

/** Flattens flask-smorest/marshmallow style `errors` ({json: {field: [msg]}}) to "field: msg" lines. */
export function flattenFieldErrors(errors: unknown, prefix = ""): string[] {
  if (errors == null) return [];
  if (typeof errors === "string") return [prefix ? `${prefix}: ${errors}` : errors];
  if (Array.isArray(errors)) return errors.flatMap((e) => flattenFieldErrors(e, prefix));
  if (typeof errors === "object") {
    return Object.entries(errors as Record<string, unknown>).flatMap(([key, value]) => {
      const location = ["json", "form", "files", "query", "headers", "path"].includes(key);
      return flattenFieldErrors(value, location ? prefix : prefix ? `${prefix}.${key}` : key);
    });
  }
  return [String(errors)];
}

/** Field name -> first message, for showing errors under form inputs. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.errors) return {};
  const out: Record<string, string> = {};
  for (const line of flattenFieldErrors(error.errors)) {
    const idx = line.indexOf(": ");
    if (idx > 0) {
      const field = line.slice(0, idx);
      if (!(field in out)) out[field] = line.slice(idx + 2);
    }
  }
  return out;
}

/** Builds an ApiError from a status, headers and a body that may or may not be the API's JSON. */
export function toApiError(status: number, headers: Headers | null, body: unknown): ApiError {
  const retryAfter = parseRetryAfter(headers?.get("Retry-After") ?? null);
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const message =
      typeof b.message === "string" && b.message ? b.message : fallbackMessage(status);
    const errors =
      b.errors && typeof b.errors === "object" ? (b.errors as Record<string, unknown>) : undefined;
    return new ApiError({
      status,
      code: b.code != null ? String(b.code) : undefined,
      message,
      errors,
      retryAfter,
    });
  }
  return new ApiError({ status, message: fallbackMessage(status), retryAfter });
}

/** A message fit for showing to a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    // A generic validation message gains the field details; a specific one stands alone.
    const generic =
      error.message === fallbackMessage(422) ||
      /^(invalid|validation|the request is not valid)/i.test(error.message);
    const details = error.status === 422 && error.errors ? flattenFieldErrors(error.errors) : [];
    const missing = details.filter((d) => !error.message.includes(d));
    if (generic && missing.length > 0) return `${error.message} ${missing.join("; ")}`;
    return error.message;
  }
  if (error instanceof TypeError) return "The server cannot be reached. Check your connection.";
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

export function formatRetryAfter(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
