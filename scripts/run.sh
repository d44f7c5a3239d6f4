#!/usr/bin/env bash
# The one run command: set up the virtualenv, load the real seed data into an empty database,
# and serve the dashboard on http://127.0.0.1:8050 (HOST and PORT change that).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/python app.py
