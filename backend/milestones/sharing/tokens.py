"""Share-link tokens: 32 random bytes, never stored; only their SHA-256 is.

A link made for stakeholders' mails must be writable into a mail long after it was
created, so its token is derived (HMAC-SHA256 of SECRET_KEY over a stored random salt):
the table alone still gives no usable token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

TOKEN_BYTES = 32
TOKEN_MAX = 100  # longer than any token we issue: refused before hashing


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def random_token() -> str:
    return _encode(secrets.token_bytes(TOKEN_BYTES))


def new_salt() -> str:
    return secrets.token_hex(16)


def derived_token(salt: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return _encode(hmac.new(key, f"share-link:{salt}".encode(), hashlib.sha256).digest())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def page_url(token: str) -> str:
    return f"{str(current_app.config['PUBLIC_BASE_URL']).rstrip('/')}/shared/{token}"
