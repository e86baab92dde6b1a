import { describe, expect, it } from "vitest";
import {
  ApiError,
  errorMessage,
  fieldErrors,
  flattenFieldErrors,
  formatRetryAfter,
  toApiError,
} from "./errors";

describe("toApiError", () => {
  it("keeps the API's code, message and field errors", () => {
    const e = toApiError(422, new Headers(), {
      code: "validation_error",
      message: "Invalid input.",
      errors: { json: { email: ["Not a valid email address."] } },
    });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe("validation_error");
    expect(e.message).toBe("Invalid input.");
    expect(fieldErrors(e)).toEqual({ email: "Not a valid email address." });
    expect(errorMessage(e)).toBe("Invalid input. email: Not a valid email address.");
  });

  it("reads Retry-After in seconds", () => {
    const e = toApiError(429, new Headers({ "Retry-After": "120" }), {
      code: "throttled",
      message: "Too many attempts.",
    });
    expect(e.retryAfter).toBe(120);
    expect(formatRetryAfter(e.retryAfter ?? 0)).toBe("2 minutes");
    expect(formatRetryAfter(1)).toBe("1 second");
  });

  it("falls back to a readable message when the body is not the API's JSON", () => {
    expect(toApiError(413, null, "<html>too big</html>").message).toBe("The file is too large.");
    expect(toApiError(502, null, undefined).message).toBe(
      "The server cannot be reached right now.",
    );
    expect(toApiError(418, null, null).message).toBe("Request failed (418).");
  });
});

describe("flattenFieldErrors", () => {
  it("flattens nested marshmallow errors", () => {
    expect(
      flattenFieldErrors({ json: { name: ["Missing data."], address: { city: ["Too long."] } } }),
    ).toEqual(["name: Missing data.", "address.city: Too long."]);
  });
});

describe("errorMessage", () => {
  it("does not repeat details a specific message already gives", () => {
    const specific = toApiError(422, null, {
      code: "evidence_required",
      message: "Value Baseline needs at least one evidence item before it can be achieved.",
      errors: { evidence: ["At least one evidence item is required."] },
    });
    expect(errorMessage(specific)).toBe(
      "Value Baseline needs at least one evidence item before it can be achieved.",
    );
    const summarised = toApiError(422, null, {
      code: "validation_error",
      message: "The request is not valid: email: Not a valid email address.",
      errors: { json: { email: ["Not a valid email address."] } },
    });
    expect(errorMessage(summarised)).toBe(
      "The request is not valid: email: Not a valid email address.",
    );
  });

  it("explains a network failure", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe(
      "The server cannot be reached. Check your connection.",
    );
  });
});
