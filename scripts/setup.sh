#!/usr/bin/env bash
# Creates .venv and installs the pinned packages (uv when it can, pip otherwise).
# Re-runs are instant: the install is skipped while the requirements files are unchanged.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
STAMP="$VENV/.requirements.sha256"

requirements_hash() {
    { python3 --version 2>&1; cat requirements.txt requirements-dev.txt; } | sha256sum | cut -d' ' -f1
}

if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c '' 2>/dev/null; then
    echo "setup.sh: $VENV is broken (its Python is gone); recreating it"
    rm -rf "$VENV"
fi
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"

want=$(requirements_hash)
[[ -f "$STAMP" && $(cat "$STAMP") == "$want" ]] && exit 0

echo "setup.sh: installing Python packages into $VENV"
if ! { "$VENV/bin/pip" install -q --disable-pip-version-check uv &&
    "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" -r requirements-dev.txt; }; then
    echo "setup.sh: uv failed; falling back to pip"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt
fi
echo "$want" >"$STAMP"
