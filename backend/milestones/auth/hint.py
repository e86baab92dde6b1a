"""A cookie the web app can read to know whether a session exists, so it does not ask
GET /auth/me (a 401 for anonymous callers, logged by browsers as a console error) when
nobody is signed in.

`mt_signed_in=1` holds no credential and grants nothing: every API route still checks the
HttpOnly session cookie. It is set while a user is in the session and removed from any
response that has none, or that answers 401 (a deactivated user, an ended session), so a
stale one costs at most one 401.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session

HINT_COOKIE = "mt_signed_in"


def sync_hint(response: Response) -> Response:
    if not request.path.startswith("/api/"):
        return response
    signed_in = response.status_code != 401 and "_user_id" in session
    present = HINT_COOKIE in request.cookies
    if signed_in and not present:
        response.set_cookie(
            HINT_COOKIE,
            "1",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=False,  # read by the web app; it holds nothing secret
            samesite="Lax",
        )
    elif present and not signed_in:
        response.delete_cookie(
            HINT_COOKIE, secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax"
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(sync_hint)
