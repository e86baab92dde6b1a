"""The Flask class of the app: what every request pays to the framework, made smaller.

- `ensure_sync`: Flask asks `inspect.iscoroutinefunction` about every hook and view of
  every request (a dozen a request here); the answer for a function never changes.
- the session cookie: Flask builds a new signing serializer for every request; one per
  secret key does the same work (the serializer keeps no per-request state).
- JSON out: orjson writes it, several times faster than the standard library. Dates and
  datetimes still go through Flask's `default` (HTTP dates, as before), keys are sorted
  as before; non-ASCII text is written as UTF-8 rather than \\u escapes (same JSON).
  Request bodies are still read by the standard library (its errors, its big integers).
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import iscoroutinefunction
from typing import Any

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

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


class CookieSessions(SecureCookieSessionInterface):
    _serializers: dict[tuple[Any, ...], URLSafeTimedSerializer]

    def __init__(self) -> None:
        self._serializers = {}

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
