"""Share links: managed by admins and the company's coaches; the page is public."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

import flask
from flask import Response, current_app
from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.policies import user
from milestones.auth.session import public
from milestones.extensions import limiter
from milestones.models import ShareLink
from milestones.schemas.sharing import (
    SharedPageSchema,
    ShareLinkCreatedSchema,
    ShareLinkCreateSchema,
    ShareLinkSchema,
)
from milestones.sharing import links, page

blp = Blueprint(
    "sharing",
    __name__,
    url_prefix="/api/v1",
    description="Read-only pages of a company for people without an account",
)

# On every answer of the public page, the 404 and the 429 included.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}


@blp.route("/companies/<int:company_id>/share-links")
class CompanyShareLinks(MethodView):
    @blp.response(200, ShareLinkSchema(many=True))
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Company not found")
    def get(self, company_id: int) -> Sequence[ShareLink]:
        """The company's share links, newest first (tokens are never shown again)"""
        return links.list_links(company_id, user())

    @blp.arguments(ShareLinkCreateSchema)
    @blp.response(201, ShareLinkCreatedSchema)
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Company not found")
    @blp.alt_response(409, description="An active link for stakeholders exists")
    def post(self, body: dict[str, Any], company_id: int) -> ShareLink:
        """Create a share link; its token and URL are in this response only"""
        return links.create_link(company_id, user(), body)


@blp.route("/share-links/<int:link_id>")
class ShareLinkById(MethodView):
    @blp.response(204)
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Share link not found")
    def delete(self, link_id: int) -> None:
        """Revoke a share link, at once"""
        links.revoke_link(link_id, user())


def _share_limit() -> str:
    return str(current_app.config["SHARE_RATE_LIMIT"])


@blp.route("/shared/<string:token>")
@public
class SharedPage(MethodView):
    decorators = [limiter.limit(_share_limit)]

    @blp.response(200, SharedPageSchema)
    @blp.alt_response(404, description="Unknown, expired or revoked link (all alike)")
    @blp.alt_response(429, description="Too many requests from this address")
    def get(self, token: str) -> dict[str, Any]:
        """A company's read-only page, for anyone holding the link"""
        return page.shared_page(token)


# /shared/ without a token is the page of a link that does not exist: the same 404, with
# the page's headers and limited at the same rate, as an unknown token (not the 401 of an
# unknown API path). A plain route (Flask's add_url_rule, not flask-smorest's) of its own
# endpoint: no operation in the OpenAPI document.
@public
@limiter.limit(_share_limit)
def _no_token() -> NoReturn:
    raise page.not_shared()


flask.Blueprint.add_url_rule(
    blp, "/shared/", "SharedPageWithoutToken", _no_token, strict_slashes=False
)
PAGE_ENDPOINTS = {"sharing.SharedPage", "sharing.SharedPageWithoutToken"}


@blp.after_request
def _page_headers(response: Response) -> Response:
    from flask import request

    if request.endpoint in PAGE_ENDPOINTS:
        response.headers.update(PAGE_HEADERS)
    return response
