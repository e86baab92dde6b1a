"""Sign in, sign out, who am I."""

from __future__ import annotations

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.policies import user
from milestones.auth.session import csrf_exempt, public
from milestones.models import User
from milestones.schemas.auth import LoginSchema, MeSchema
from milestones.services import auth as auth_service

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Session sign-in")


@blp.route("/login")
@public
@csrf_exempt
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, description="Incorrect e-mail or password")
    @blp.alt_response(429, description="Too many failed attempts; see Retry-After")
    def post(self, body: dict[str, str]) -> User:
        """Sign in; sets the session cookie and returns the user with a CSRF token"""
        return auth_service.login(body["email"], body["password"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self) -> None:
        """Sign out"""
        auth_service.logout()


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> User:
        """The signed-in user, their companies and the CSRF token for writes"""
        return user()
