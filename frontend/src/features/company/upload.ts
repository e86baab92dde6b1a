import { getCsrfToken } from "@/lib/csrf";
import { ApiError, toApiError } from "@/lib/errors";
import type { Evidence, MilestoneKey } from "@/lib/types";

export interface UploadInput {
  companyId: number;
  milestone: MilestoneKey;
  file: File;
  title: string;
  description?: string;
  criterion?: string | null;
}

/**
 * Uploads a document as multipart form data. XMLHttpRequest rather than fetch because only
 * it reports upload progress.
 */
export function uploadEvidence(
  input: UploadInput,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Evidence> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("file", input.file);
    form.append("title", input.title);
    if (input.description) form.append("description", input.description);
    if (input.criterion) form.append("criterion", input.criterion);

    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/companies/${input.companyId}/milestones/${input.milestone}/evidence`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    const token = getCsrfToken();
    if (token) xhr.setRequestHeader("X-CSRF-Token", token);

    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as Evidence);
        return;
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader("Retry-After");
      if (retry) headers.set("Retry-After", retry);
      reject(toApiError(xhr.status, headers, body));
    };
    xhr.onerror = () => reject(new TypeError("Network error during upload"));
    xhr.onabort = () =>
      reject(new ApiError({ status: 0, code: "aborted", message: "Upload cancelled." }));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(form);
  });
}
