import "@mantine/dropzone/styles.css";
import {
  Alert,
  Button,
  Group,
  Progress,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { Dropzone, type FileRejection } from "@mantine/dropzone";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { invalidateCompany } from "@/lib/companies";
import { ApiError, errorMessage } from "@/lib/errors";
import { fileSize } from "@/lib/format";
import type { MilestoneStatus } from "@/lib/types";
import { uploadEvidence } from "./upload";

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function uploadErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    // The API's own message says the limit or the refused type; fall back to ours.
    if (error.status === 413) return error.message || "The file is too large.";
    if (error.status === 415) return error.message || "This file type is not allowed.";
  }
  return errorMessage(error);
}

function rejectionMessage(rejections: FileRejection[]): string {
  const first = rejections[0]?.errors[0];
  if (first?.code === "file-too-large")
    return `The file is larger than ${fileSize(MAX_UPLOAD_BYTES)}.`;
  if (first?.code === "too-many-files") return "Drop one file at a time.";
  return first?.message ?? "This file cannot be uploaded.";
}

export function EvidenceUpload({
  companyId,
  status,
}: {
  companyId: number;
  status: MilestoneStatus;
}) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [criterion, setCriterion] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = (files: File[]) => {
    const f = files[0];
    if (!f) return;
    setFile(f);
    setError(null);
    if (!title) setTitle(f.name.replace(/\.[^.]+$/, ""));
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError("Choose a file first.");
      return;
    }
    if (!title.trim()) {
      setError("Give the document a title.");
      return;
    }
    setError(null);
    setProgress(0);
    try {
      await uploadEvidence(
        {
          companyId,
          milestone: status.milestone,
          file,
          title: title.trim(),
          description: description.trim() || undefined,
          criterion,
        },
        setProgress,
      );
      notifications.show({ message: `Uploaded “${title.trim()}”`, color: "green" });
      setFile(null);
      setTitle("");
      setDescription("");
      setCriterion(null);
      await invalidateCompany(qc, companyId);
    } catch (e) {
      setError(uploadErrorMessage(e));
    } finally {
      setProgress(null);
    }
  };

  const uploading = progress !== null;
  return (
    <form onSubmit={submit} noValidate aria-label="Upload a document">
      <Stack gap="sm">
        <Dropzone
          onDrop={choose}
          onReject={(r) => setError(rejectionMessage(r))}
          maxSize={MAX_UPLOAD_BYTES}
          multiple={false}
          disabled={uploading}
          aria-label="Drop a document here or press to choose a file"
          inputProps={{ "aria-label": "Choose a document to upload" }}
          data-testid="evidence-dropzone"
        >
          <Stack align="center" gap={4} py="md" style={{ pointerEvents: "none" }}>
            <Text fw={500}>Drag a document here or click to choose</Text>
            <Text size="xs" c="dimmed">
              PDF, images, text, CSV, Markdown or Office files, up to {fileSize(MAX_UPLOAD_BYTES)}
            </Text>
          </Stack>
        </Dropzone>
        {file && (
          <Text size="sm">
            Selected: <strong>{file.name}</strong> ({fileSize(file.size)})
          </Text>
        )}
        {error && (
          <Alert color="red" role="alert" title="Upload failed">
            {error}
          </Alert>
        )}
        <TextInput
          label="Document title"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          required
        />
        <Textarea
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <Select
          label="Criterion"
          placeholder="Not linked to a criterion"
          data={status.criteria.map((c) => ({ value: c.key, label: c.text }))}
          value={criterion}
          onChange={setCriterion}
          clearable
        />
        {uploading && (
          <Progress
            value={Math.round((progress ?? 0) * 100)}
            aria-label="Upload progress"
            animated
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={uploading} disabled={!file}>
            Upload document
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
