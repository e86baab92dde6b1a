"""A count of the commits this app's processes have made on this host, kept in a file of
the instance folder that every process maps into memory.

Every ORM session commit adds one, after the database has committed. A process that keeps
something it read from the database (auth/session.py keeps the signed-in users, and the
last snapshot it read) notes the count it read *before* reading, and trusts what it kept
only while the count is the same.
So a write made through this app on this host (a worker, `flask` or `milestones` commands)
is seen by every process at its next request. Reading the count is a load from shared
memory, no system call; adding to it takes a file lock, once per commit.

Writes this count cannot see: other hosts, and SQL sent from outside the app (psql). What is
kept on the strength of it expires as well (USER_CACHE_SECONDS), and a deployment whose API
runs on several hosts turns it off (0).
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_SIZE = 8
EXTENSION = "milestones.commits"


class SharedFile:
    """A small file of the instance folder that every process of the app maps into memory
    (MAP_SHARED, so a mapping made before gunicorn forks stays shared with the workers);
    changed under a file lock, between processes."""

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        self.size = size
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def mapped(self) -> mmap.mmap:
        if self._map is None:
            with self._lock:
                if self._map is None:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                    try:
                        if os.fstat(fd).st_size < self.size:
                            os.ftruncate(fd, self.size)  # only ever grows a new, empty file
                        self._map = mmap.mmap(fd, self.size)
                    finally:
                        os.close(fd)
        return self._map

    @contextmanager
    def locked(self, exclusive: bool = True) -> Iterator[mmap.mmap]:
        mapped = self.mapped()
        fd = os.open(self.path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)  # freed by close
            yield mapped
        finally:
            os.close(fd)


class CommitCounter(SharedFile):
    def __init__(self, path: str) -> None:
        super().__init__(path, _SIZE)

    def read(self) -> int:
        return int.from_bytes(self.mapped()[:_SIZE], "little")

    def add(self) -> None:
        with self.locked() as mapped:
            count = int.from_bytes(mapped[:_SIZE], "little") + 1
            mapped[:_SIZE] = count.to_bytes(_SIZE, "little")


def _after_commit(session: Session) -> None:
    found = current_app.extensions.get(EXTENSION) if has_app_context() else None
    if found is not None:
        found.add()


def init_app(app: Flask) -> CommitCounter | None:
    """This app's commits counted, unless nothing is kept on their strength
    (USER_CACHE_SECONDS 0) or the instance folder cannot hold the file (then nothing is
    kept either): the counter, or None."""
    if app.config["USER_CACHE_SECONDS"] <= 0:
        return None
    found = CommitCounter(os.path.join(app.instance_path, "commits.count"))
    try:
        found.read()
    except OSError as exc:
        log.warning("commit counter unavailable (%s): users are read at every request", exc)
        return None
    app.extensions[EXTENSION] = found
    if not sa.event.contains(Session, "after_commit", _after_commit):
        sa.event.listen(Session, "after_commit", _after_commit)
    return found
