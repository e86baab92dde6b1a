#!/bin/sh
# Entry point of the API image: migrate the database (unless RUN_MIGRATIONS=0), then run
# the command (gunicorn by default; `milestones notifications deliver` for the worker).
# Several API replicas may start at once: docker/migrate.py serialises them with a
# PostgreSQL advisory lock, and a replica finding the schema current does nothing.
set -eu

if [ "${RUN_MIGRATIONS:-1}" = "1" ]; then
    python /app/docker/migrate.py
fi

exec "$@"
