#!/usr/bin/env bash
# The production command: check the settings, load data/seed into an empty database, then
# serve app:server with gunicorn (WORKERS processes of THREADS threads, --no-control-socket) and,
# with REDIS_URL, CELERY_WORKERS Celery workers for the background jobs (board packs).
# Every setting is an environment variable (README "Run it in production").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec .venv/bin/python -m dashboard.serving
