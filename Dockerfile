# The API image: gunicorn serving milestones:create_app(), also used by the notification
# worker (`milestones notifications deliver`). Migrations run at start (docker/api-entrypoint.sh).
#   docker build -t milestones-api .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    INSTANCE_PATH=/app/instance

WORKDIR /app
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

# Dependencies first (pinned, cached while only the code changes).
COPY requirements.lock ./
RUN pip install -r requirements.lock

# The package, installed in place: create_app() finds migrations/ beside backend/.
COPY pyproject.toml ./
COPY backend ./backend
COPY migrations ./migrations
COPY gunicorn.conf.py ./
COPY docker/api-entrypoint.sh docker/migrate.py ./docker/
RUN pip install --no-deps -e . \
 && chmod 0755 docker/api-entrypoint.sh \
 && mkdir -p /app/instance \
 && chown app:app /app/instance

USER app
EXPOSE 8000
ENTRYPOINT ["/app/docker/api-entrypoint.sh"]
CMD ["gunicorn", "-c", "/app/gunicorn.conf.py"]
