import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MilestoneStatus } from "@/lib/types";
import { mockApi, renderWithApp, status } from "@/test/utils";
import { EvidenceUpload } from "./EvidenceUpload";

interface FakeResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A stand-in XMLHttpRequest that records what was sent and answers with a canned response. */
function installFakeXhr(response: FakeResponse) {
  const sent: { method: string; url: string; headers: Record<string, string>; body: FormData }[] =
    [];
  class FakeXhr {
    status = 0;
    responseText = "";
    withCredentials = false;
    upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private method = "";
    private url = "";
    private headers: Record<string, string> = {};
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    getResponseHeader(name: string) {
      return response.headers?.[name] ?? null;
    }
    abort() {
      this.onabort?.();
    }
    send(body: FormData) {
      sent.push({ method: this.method, url: this.url, headers: this.headers, body });
      setTimeout(() => {
        this.upload.onprogress?.({
          lengthComputable: true,
          loaded: 50,
          total: 100,
        } as ProgressEvent);
        this.status = response.status;
        this.responseText = response.body;
        this.onload?.();
      }, 0);
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return sent;
}

async function chooseAndUpload(file: File) {
  const user = userEvent.setup();
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  await user.upload(input, file);
  expect(await screen.findByText(file.name)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Upload document" }));
  return user;
}

function renderUpload() {
  mockApi({});
  renderWithApp(
    <EvidenceUpload
      companyId={7}
      status={status("first_customer") as unknown as MilestoneStatus}
    />,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("EvidenceUpload", () => {
  it("sends the multipart fields with the CSRF header", async () => {
    const sent = installFakeXhr({
      status: 201,
      body: JSON.stringify({ id: 11, title: "Signed contract" }),
    });
    renderUpload();
    await chooseAndUpload(new File(["%PDF-1.4"], "contract.pdf", { type: "application/pdf" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    const req = sent[0];
    if (!req) throw new Error("nothing sent");
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/api/v1/companies/7/milestones/first_customer/evidence");
    expect(req.headers["X-CSRF-Token"]).toBe("csrf-coach");
    expect((req.body.get("file") as File).name).toBe("contract.pdf");
    expect(req.body.get("title")).toBe("contract");
    expect(req.body.get("description")).toBeNull();
    // Success clears the form for the next document.
    await waitFor(() => expect(screen.queryByText("contract.pdf")).not.toBeInTheDocument());
    expect(screen.getByRole("textbox", { name: /Document title/ })).toHaveValue("");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the API's 413 message", async () => {
    installFakeXhr({
      status: 413,
      body: JSON.stringify({ code: "too_large", message: "The file is larger than 25 MB." }),
    });
    renderUpload();
    await chooseAndUpload(new File(["x"], "huge.pdf", { type: "application/pdf" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Upload failed");
    expect(alert).toHaveTextContent("The file is larger than 25 MB.");
  });

  it("shows the API's 415 message", async () => {
    installFakeXhr({
      status: 415,
      body: JSON.stringify({
        code: "unsupported_type",
        message: "application/x-msdownload files are not allowed.",
      }),
    });
    renderUpload();
    await chooseAndUpload(new File(["MZ"], "report.pdf", { type: "application/pdf" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "application/x-msdownload files are not allowed.",
    );
  });

  it("falls back to a clear message when a proxy answers 413 with HTML", async () => {
    installFakeXhr({ status: 413, body: "<html><body>Request Entity Too Large</body></html>" });
    renderUpload();
    await chooseAndUpload(new File(["x"], "big.pdf", { type: "application/pdf" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The file is too large.");
  });

  it("shows validation errors from the API (422)", async () => {
    installFakeXhr({
      status: 422,
      body: JSON.stringify({
        code: "validation_error",
        message: "Invalid input.",
        errors: { form: { criterion: ["Not a criterion of first_customer."] } },
      }),
    });
    renderUpload();
    await chooseAndUpload(new File(["x"], "a.pdf", { type: "application/pdf" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Invalid input. criterion: Not a criterion of first_customer.",
    );
  });
});
