"""Files in an S3-compatible bucket (AWS, MinIO...) through boto3.

Path-style addressing and SigV4 so any endpoint URL works; credentials come from the
usual AWS variables. Downloads are presigned GET links that force an attachment.
"""

from __future__ import annotations

import logging
import threading
from typing import IO, Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from milestones.storage import (
    ObjectMissing,
    Storage,
    StorageUnavailable,
    attachment_disposition,
)

log = logging.getLogger(__name__)

# Uploads go in 8 MB parts: a large file is never read whole into memory.
TRANSFER = TransferConfig(
    multipart_threshold=8 * 1024 * 1024,
    multipart_chunksize=8 * 1024 * 1024,
    max_concurrency=2,
    use_threads=False,
)
_MISSING = {"404", "NoSuchKey", "NotFound"}
_NO_BUCKET = {"404", "NoSuchBucket", "NotFound"}


class S3Storage(Storage):
    name = "s3"

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        public_endpoint_url: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.client: Any = _client(endpoint_url, region)
        # Presigned links carry (and sign) the host browsers use, which may not be the one
        # the API reaches (compose: http://minio:9000 inside, localhost:9000 outside).
        # Signing makes no request, so this client never connects.
        public = public_endpoint_url or endpoint_url
        self.presigner: Any = self.client if public == endpoint_url else _client(public, region)
        self._bucket_ready = False
        self._lock = threading.Lock()

    def _ensure_bucket(self) -> None:
        """Create the bucket on first use if it does not exist (development servers)."""
        if self._bucket_ready:
            return
        with self._lock:
            if self._bucket_ready:
                return
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if _error_code(exc) not in _NO_BUCKET:
                    raise
                self.client.create_bucket(Bucket=self.bucket)
            self._bucket_ready = True

    def put(self, key: str, fileobj: IO[bytes], *, size: int, content_type: str) -> None:
        try:
            self._ensure_bucket()
            self.client.upload_fileobj(
                fileobj,
                self.bucket,
                key,
                ExtraArgs={"ContentType": content_type},
                Config=TRANSFER,
            )
        except (BotoCoreError, ClientError) as exc:
            log.error("S3 upload failed: %s", exc)
            raise StorageUnavailable() from exc

    def open(self, key: str) -> IO[bytes]:
        try:
            body: IO[bytes] = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            return body
        except ClientError as exc:
            if _error_code(exc) in _MISSING:
                raise ObjectMissing() from exc
            raise StorageUnavailable() from exc
        except BotoCoreError as exc:
            raise StorageUnavailable() from exc

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable() from exc

    def presigned_url(
        self, key: str, *, filename: str, content_type: str, expires_in: int
    ) -> str | None:
        try:
            url: str = self.presigner.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentDisposition": attachment_disposition(filename),
                    "ResponseContentType": content_type,
                },
                ExpiresIn=expires_in,
            )
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable() from exc
        return url

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable() from exc


def _client(endpoint_url: str | None, region: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    )


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
