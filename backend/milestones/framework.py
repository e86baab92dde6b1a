"""The Flask class of the app: what every request pays to the framework, made smaller.

- `ensure_sync`: Flask asks `inspect.iscoroutinefunction` about every hook and view of
  every request (a dozen a request here); the answer for a function never changes.
- the session cookie: Flask builds a new signing serializer for every request; one per
  secret key does the same work (the serializer keeps no per-request state). And a
  cookie it has verified is remembered by its exact text (its signature included), with
  the time it was signed: the same text is answered with the same session without
  decoding and hashing it again, while its age is still within the session lifetime,
  checked at every request as itsdangerous checks it.
- JSON out: orjson writes it, several times faster than the standard library. Dates and
  datetimes still go through Flask's `default` (HTTP dates, as before), keys are sorted
  as before; non-ASCII text is written as UTF-8 rather than \\u escapes (same JSON).
  Request bodies are still read by the standard library (its errors, its big integers).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from inspect import iscoroutinefunction
from typing import Any

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._dump_bytes(obj, kwargs).decode()

    def _dump_bytes(self, obj: Any, kwargs: dict[str, Any]) -> bytes:
        if kwargs.get("cls") or kwargs.get("indent"):
            return super().dumps(obj, **kwargs).encode()
        option = _ORJSON_OPTIONS
        if kwargs.get("sort_keys", self.sort_keys):
            option |= orjson.OPT_SORT_KEYS
        return orjson.dumps(obj, default=kwargs.get("default", self.default), option=option)

    def response(self, *args: Any, **kwargs: Any) -> Any:
        obj = self._prepare_response_obj(args, kwargs)
        if self._app.debug and self.compact is not False:
            return super().response(*args, **kwargs)  # indented for people reading it
        body = self._dump_bytes(obj, {}) + b"\n"
        return self._app.response_class(body, mimetype=self.mimetype)  # type: ignore[arg-type]


_SCALARS = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    _serializers: dict[tuple[Any, ...], URLSafeTimedSerializer]
    # cookie text -> (the serializer that verified it, when it was signed, its data)
    _verified: dict[str, tuple[URLSafeTimedSerializer, int, dict[str, Any]]]
    _MOST_VERIFIED = 4096

    def __init__(self) -> None:
        self._serializers = {}
        self._verified = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        text = request.cookies.get(self.get_cookie_name(app))
        if not text:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get(text)
        if known is not None and known[0] is serializer:
            if 0 <= int(time.time()) - known[1] <= max_age:
                return self.session_class(known[2])
            return self.session_class()  # expired: what itsdangerous would have said
        try:
            data, signed = serializer.loads(text, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        # Only flat sessions are remembered, so a copy of one cannot share a value.
        if isinstance(data, dict) and all(isinstance(v, _SCALARS) for v in data.values()):
            if len(self._verified) >= self._MOST_VERIFIED:
                self._verified = {}
            self._verified[text] = (serializer, int(signed.timestamp()), dict(data))
        return self.session_class(data)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        fallbacks = tuple(app.config["SECRET_KEY_FALLBACKS"] or ())
        key = (app.secret_key, fallbacks)
        found = self._serializers.get(key)
        if found is None:
            found = super().get_signing_serializer(app)
            if found is None:
                return None
            self._serializers = {key: found}  # one secret at a time
        return found


class MilestonesFlask(Flask):
    json_provider_class = OrjsonProvider
    session_interface = CookieSessions()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, bool] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        target = getattr(func, "__func__", func)  # bound methods are new every request
        is_async = self._sync.get(target)
        if is_async is None:
            is_async = self._sync[target] = iscoroutinefunction(func)
        return self.async_to_sync(func) if is_async else func
