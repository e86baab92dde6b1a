"""An app and a database of the security suite's own, with one world reused between tests
until a test changes it (a successful write, a failure): hundreds of cases, few rebuilds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from milestones.extensions import db
from tests.conftest import create_database, make_app
from tests.security.world import World, build_world


def empty_tables() -> None:
    """DELETE (not TRUNCATE): on tables this small it is far cheaper on PostgreSQL."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class WorldKeeper:
    def __init__(self) -> None:
        self.world: World | None = None
        self.dirty = True

    def fresh(self) -> World:
        if self.world is None or self.dirty:
            db.session.remove()
            empty_tables()
            self.world = build_world()
            db.session.remove()
            self.dirty = False
        return self.world


@pytest.fixture(scope="session")
def security_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("security")
    url, drop = create_database(tmp)
    if url.startswith("postgresql"):
        # A throwaway database: durability is not worth an fsync per commit here.
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            name = make_url(url).database
            conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        engine.dispose()
    application = make_app(url, tmp)
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


@pytest.fixture(scope="session")
def keeper() -> WorldKeeper:
    return WorldKeeper()


@pytest.fixture
def secworld(security_app: Flask, keeper: WorldKeeper) -> Iterator[World]:
    """The shared world; a test that writes calls keeper.dirty = True (or fails)."""
    with security_app.app_context():
        current = keeper.fresh()
        keeper.dirty = True  # until the test says its calls changed nothing
        yield current
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def fresh_world(security_app: Flask, keeper: WorldKeeper) -> Iterator[World]:
    """A world no earlier test touched (for tests that write as they please)."""
    keeper.dirty = True
    with security_app.app_context():
        yield keeper.fresh()
        keeper.dirty = True
        db.session.rollback()
        db.session.remove()
