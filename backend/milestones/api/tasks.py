"""(being written: see the issue that owns this module)"""

from __future__ import annotations

from milestones.api.pagination import Blueprint

blp = Blueprint("tasks", __name__, url_prefix="/api/v1")
