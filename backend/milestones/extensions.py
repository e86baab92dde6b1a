"""Unbound extension instances, initialised in create_app(). The flask-smorest Api is
milestones.api.api, beside the blueprints it serves."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from milestones.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
# Limits are declared per route (login counts its failures in services/auth.py); the
# storage is RATELIMIT_STORAGE_URI, the app's database by default (sql/rate_limits.py).
limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=True)
