"""People (admins only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import user
from milestones.models import User
from milestones.schemas.users import UserCreateSchema, UserPatchSchema, UserQuerySchema, UserSchema
from milestones.services import users as users_service

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="People (admins)")


@blp.route("")
class Users(MethodView):
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Sequence[User]:
        """List people"""
        require(Ability.MANAGE_USERS)
        return paginate(users_service.list_users(**query), pagination_parameters)

    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(409, description="E-mail already used")
    def post(self, body: dict[str, Any]) -> User:
        """Create a person; without a password they get an invitation mail"""
        require(Ability.MANAGE_USERS)
        return users_service.create_user(**body)


@blp.route("/<int:user_id>")
class UserById(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id: int) -> User:
        """One person"""
        require(Ability.MANAGE_USERS)
        return users_service.get_user(user_id)

    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(409, description="E-mail already used, or a change that is not allowed")
    def patch(self, body: dict[str, Any], user_id: int) -> User:
        """Change a person (name, e-mail, role, active, password)"""
        require(Ability.MANAGE_USERS)
        return users_service.update_user(users_service.get_user(user_id), user(), body)
