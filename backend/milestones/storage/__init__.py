"""Where uploaded files live: one small interface, a `local` and an `s3` backend.

The database keeps storage keys, never URLs. Only this package talks to boto3.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from typing import IO
from urllib.parse import quote

from flask import Flask, current_app

from milestones.errors import NotFound, ServiceUnavailable

# Presigned download links live at most this long.
PRESIGNED_TTL_SECONDS = 300


class StorageUnavailable(ServiceUnavailable):
    """The storage backend does not answer or refuses the operation (503)."""

    code = "storage_unavailable"

    def __init__(self, message: str = "File storage is not reachable; try again shortly.") -> None:
        super().__init__(message, headers={"Retry-After": "5"})


class ObjectMissing(NotFound):
    code = "file_missing"

    def __init__(self) -> None:
        super().__init__("The file is missing from storage.")


class Storage(ABC):
    """Put, open, delete and hand out files by key."""

    name: str

    @abstractmethod
    def put(self, key: str, fileobj: IO[bytes], *, size: int, content_type: str) -> None:
        """Store the readable `fileobj` (read in chunks, never whole) under `key`."""

    @abstractmethod
    def open(self, key: str) -> IO[bytes]:
        """A readable binary stream of the object."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; no error if it is already gone."""

    @abstractmethod
    def presigned_url(
        self, key: str, *, filename: str, content_type: str, expires_in: int
    ) -> str | None:
        """A short-lived direct download link forcing attachment, or None to stream."""

    @abstractmethod
    def check(self) -> None:
        """Readiness: raise StorageUnavailable unless the backend can store files."""


def new_key(prefix: str) -> str:
    """An unguessable object key (the file name never goes into it)."""
    return f"{prefix.strip('/')}/{secrets.token_urlsafe(24)}"


def attachment_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the RFC 5987 UTF-8 name."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _build(app: Flask) -> Storage:
    cfg = app.config
    if cfg["STORAGE_BACKEND"] == "s3":
        from milestones.storage.s3 import S3Storage

        return S3Storage(
            bucket=cfg["S3_BUCKET"],
            endpoint_url=cfg.get("S3_ENDPOINT_URL"),
            region=cfg.get("S3_REGION") or "us-east-1",
            public_endpoint_url=cfg.get("S3_PUBLIC_ENDPOINT_URL"),
        )
    from milestones.storage.local import LocalStorage

    return LocalStorage(cfg["STORAGE_LOCAL_PATH"])


def get_storage(app: Flask | None = None) -> Storage:
    """The backend the app's config names (built once per configuration)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cfg = app.config
    fingerprint = (
        cfg["STORAGE_BACKEND"],
        cfg["STORAGE_LOCAL_PATH"],
        cfg.get("S3_BUCKET"),
        cfg.get("S3_ENDPOINT_URL"),
        cfg.get("S3_PUBLIC_ENDPOINT_URL"),
        cfg.get("S3_REGION"),
    )
    cached = app.extensions.get("milestones.storage")
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, _build(app))
        app.extensions["milestones.storage"] = cached
    storage: Storage = cached[1]
    return storage


def check() -> dict[str, str]:
    """Readiness of the configured backend, e.g. {"storage": "ok"}; raises when down."""
    get_storage().check()
    return {"storage": "ok"}


__all__ = [
    "PRESIGNED_TTL_SECONDS",
    "ObjectMissing",
    "Storage",
    "StorageUnavailable",
    "attachment_disposition",
    "check",
    "get_storage",
    "new_key",
]
