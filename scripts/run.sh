#!/usr/bin/env bash
# Starts the whole product on the embedded defaults: SQLite and files in instance/,
# mail written to the log, demo data, the notification worker and the web server.
# Logs are short text lines here (LOG_FORMAT defaults to text outside production); the
# banner with the address and the demo logins comes last, once the server answers.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-5000}
bin=.venv/bin
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://$host:$port}

$bin/milestones db upgrade
logins=$($bin/milestones seed demo)

# The start-up mail (this week's digests once they are due, what the seed queued) is
# written to the log now, before the servers start, so that it comes above the banner.
$bin/milestones digests send >/dev/null
$bin/milestones notifications deliver --once >/dev/null

pids=()
worker_log=$(mktemp)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -f "$worker_log"
}
trap cleanup EXIT INT TERM

# The worker's lines go to the terminal and, until the banner, to a file: the banner
# waits for its first line ("outbox worker started").
$bin/milestones notifications deliver > >(tee "$worker_log") 2>&1 &
pids+=($!)

GUNICORN_LOG_LEVEL=${GUNICORN_LOG_LEVEL:-warning} \
  $bin/gunicorn --bind "$host:$port" --workers 2 --threads 4 "milestones:create_app()" &
pids+=($!)

# Wait until the API answers (or gunicorn gives up), then until the worker has started
# (at most a few seconds more), then print the banner.
for _ in $(seq 1 100); do
  kill -0 "${pids[-1]}" 2>/dev/null || break
  if $bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://$host:$port/api/v1/healthz" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
for _ in $(seq 1 50); do
  [ -s "$worker_log" ] && break
  sleep 0.2
done

echo
echo "Milestone Tracker is running at $PUBLIC_BASE_URL  (API docs: $PUBLIC_BASE_URL/api/docs)"
echo "$logins"
echo "Press Ctrl+C to stop."
echo
wait "${pids[-1]}"
