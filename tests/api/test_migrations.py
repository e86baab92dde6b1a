"""The Alembic migration builds exactly the schema the models describe."""

import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from milestones.extensions import db
from tests.conftest import create_database, make_app


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn, warnings.catch_warnings():
        if engine.dialect.name == "sqlite":
            # SQLite cannot reflect expression indexes (ix_companies_lower_name); they are
            # compared on PostgreSQL.
            warnings.filterwarnings("ignore", ".*expression-based index", UserWarning)
            warnings.filterwarnings("ignore", ".*expression-based index", sa.exc.SAWarning)
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_and_migration_agree(app):
    assert _diff(db.engine) == []


def test_migrations_run_on_an_empty_database_and_back(tmp_path):
    url, drop = create_database(tmp_path)
    try:
        fresh = make_app(url, tmp_path)
        with fresh.app_context():
            upgrade()
            tables = set(sa.inspect(db.engine).get_table_names())
            assert {t.name for t in db.metadata.sorted_tables} <= tables
            assert _diff(db.engine) == []
            downgrade(revision="base")
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert _diff(db.engine) == []
            db.engine.dispose()
    finally:
        drop()
