"""Storage backends (local directory, S3 on a moto server), the accessor."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask

from milestones.storage import (
    ObjectMissing,
    StorageUnavailable,
    attachment_disposition,
    get_storage,
    new_key,
)
from milestones.storage.local import LocalStorage
from tests.fixtures.storage import S3_BUCKET, free_port


class CountingReader(io.BytesIO):
    """Records the size of every read: a whole-file read() would show up as -1/None."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.sizes.append(size)
        return super().read(size)


def test_attachment_disposition_has_ascii_and_utf8_names():
    value = attachment_disposition('Déjà "vu".pdf')
    assert value == (
        "attachment; filename=\"Dj _vu_.pdf\"; filename*=UTF-8''D%C3%A9j%C3%A0%20%22vu%22.pdf"
    )


def test_new_keys_are_unguessable():
    keys = {new_key("evidence/7") for _ in range(100)}
    assert len(keys) == 100
    assert all(k.startswith("evidence/7/") and len(k) >= len("evidence/7/") + 32 for k in keys)


# --- local ----------------------------------------------------------------------------------


def test_local_round_trip_in_chunks(tmp_path: Path):
    storage = LocalStorage(str(tmp_path / "files"))
    storage.check()
    data = b"0123456789" * 300_000
    reader = CountingReader(data)
    storage.put("evidence/1/abc", reader, size=len(data), content_type="application/pdf")
    assert all(size is not None and 0 < size <= 1024 * 1024 for size in reader.sizes)
    with storage.open("evidence/1/abc") as fh:
        assert fh.read() == data
    assert (
        storage.presigned_url("evidence/1/abc", filename="a", content_type="x", expires_in=60)
        is None
    )
    assert [p.name for p in (tmp_path / "files" / "evidence" / "1").iterdir()] == ["abc"]
    storage.delete("evidence/1/abc")
    storage.delete("evidence/1/abc")  # already gone: fine
    with pytest.raises(ObjectMissing):
        storage.open("evidence/1/abc")


def test_local_refuses_keys_outside_its_root(tmp_path: Path):
    storage = LocalStorage(str(tmp_path / "files"))
    with pytest.raises(ValueError):
        storage.open("../secret")


def test_local_unusable_directory_is_unavailable(tmp_path: Path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    storage = LocalStorage(str(blocker))
    with pytest.raises(StorageUnavailable):
        storage.check()
    with pytest.raises(StorageUnavailable):
        storage.put("k/1", io.BytesIO(b"x"), size=1, content_type="text/plain")


# --- S3 on the moto server --------------------------------------------------------------------


def test_s3_round_trip_presign_and_check(moto_server, s3):
    from milestones.storage.s3 import S3Storage

    storage = S3Storage(S3_BUCKET, moto_server.endpoint, "us-east-1")
    config = storage.client.meta.config
    assert config.signature_version == "s3v4"
    assert config.s3["addressing_style"] == "path"
    storage.check()
    data = b"%PDF-1.4 " + b"z" * 1000
    storage.put("unit/a", io.BytesIO(data), size=len(data), content_type="application/pdf")
    assert storage.open("unit/a").read() == data
    url = storage.presigned_url(
        "unit/a", filename="r.pdf", content_type="application/pdf", expires_in=300
    )
    assert url is not None
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert requests.get(url, timeout=10).content == data
    storage.delete("unit/a")
    with pytest.raises(ObjectMissing):
        storage.open("unit/a")


def test_s3_creates_a_missing_bucket_on_first_put(moto_server, s3):
    from milestones.storage.s3 import S3Storage

    storage = S3Storage("fresh-bucket", moto_server.endpoint, "us-east-1")
    storage.put("k", io.BytesIO(b"hello"), size=5, content_type="text/plain")
    assert s3.get_object(Bucket="fresh-bucket", Key="k")["Body"].read() == b"hello"
    storage.delete("k")
    s3.delete_bucket(Bucket="fresh-bucket")


def test_s3_unreachable_is_unavailable(aws_env):
    from milestones.storage.s3 import S3Storage

    storage = S3Storage(S3_BUCKET, f"http://127.0.0.1:{free_port()}", "us-east-1")
    with pytest.raises(StorageUnavailable):
        storage.check()
    with pytest.raises(StorageUnavailable):
        storage.put("k", io.BytesIO(b"x"), size=1, content_type="text/plain")
    with pytest.raises(StorageUnavailable):
        storage.open("k")


def test_get_storage_follows_the_config(tmp_path: Path, aws_env):
    app = Flask("t")
    app.config.update(
        STORAGE_BACKEND="local",
        STORAGE_LOCAL_PATH=str(tmp_path),
        S3_BUCKET="b",
        S3_ENDPOINT_URL="http://127.0.0.1:9",
        S3_REGION="us-east-1",
    )
    first = get_storage(app)
    assert first.name == "local"
    assert get_storage(app) is first
    app.config["STORAGE_BACKEND"] = "s3"
    second = get_storage(app)
    assert second.name == "s3"
    assert get_storage(app) is second


def test_s3_presigns_for_the_public_endpoint(moto_server, s3):
    # The API reaches the server as 127.0.0.1, browsers as localhost: the link names the
    # latter, is signed for it, and works there.
    from milestones.storage.s3 import S3Storage

    internal = moto_server.endpoint
    public = internal.replace("127.0.0.1", "localhost")
    assert public != internal
    storage = S3Storage(S3_BUCKET, internal, "us-east-1", public_endpoint_url=public)
    data = b"%PDF-1.4 public"
    storage.put("unit/p", io.BytesIO(data), size=len(data), content_type="application/pdf")
    url = storage.presigned_url(
        "unit/p", filename="p.pdf", content_type="application/pdf", expires_in=300
    )
    assert url is not None
    assert url.startswith(f"{public}/{S3_BUCKET}/unit/p?")
    assert requests.get(url, timeout=10).content == data
    assert storage.client.meta.endpoint_url == internal  # uploads and reads stay inside
    storage.delete("unit/p")


def test_s3_public_endpoint_defaults_to_the_endpoint(moto_server):
    app = Flask("t")
    app.config.update(
        STORAGE_BACKEND="s3",
        STORAGE_LOCAL_PATH="unused",
        S3_BUCKET=S3_BUCKET,
        S3_ENDPOINT_URL=moto_server.endpoint,
        S3_PUBLIC_ENDPOINT_URL=None,
        S3_REGION="us-east-1",
    )
    storage = get_storage(app)
    assert storage.presigner is storage.client
    app.config["S3_PUBLIC_ENDPOINT_URL"] = "http://files.example.test"
    moved = get_storage(app)  # a changed setting builds the backend again
    assert moved.presigner.meta.endpoint_url == "http://files.example.test"
    url = moved.presigned_url("k", filename="a.txt", content_type="text/plain", expires_in=60)
    assert url.startswith(f"http://files.example.test/{S3_BUCKET}/k?")
