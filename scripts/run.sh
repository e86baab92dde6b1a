#!/usr/bin/env bash
# Starts the whole product on the embedded defaults: SQLite and files in instance/,
# mail written to the log, demo data, the notification worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-5000}
bin=.venv/bin
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://$host:$port}

$bin/milestones db upgrade
$bin/milestones seed demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if $bin/milestones notifications --help >/dev/null 2>&1; then
  $bin/milestones notifications deliver &
  pids+=($!)
fi

echo
echo "Milestone Tracker is running at $PUBLIC_BASE_URL  (API docs: $PUBLIC_BASE_URL/api/docs)"
echo "Press Ctrl+C to stop."
echo
$bin/gunicorn --bind "$host:$port" --workers 2 --threads 4 --access-logfile - \
  "milestones:create_app()" &
pids+=($!)
wait "${pids[-1]}"
