#!/usr/bin/env bash
# The one test command: system packages, virtualenv, lint, then pytest (extra args go to pytest).
# Safe to re-run: installs are skipped when nothing they depend on has changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
SYSTEM_PACKAGES=(chromium chromium-driver postgresql redis-server)

install_system_packages() {
    local missing=() pkg
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    # Debian's own python3 needs python3-venv for `python3 -m venv`.
    if [[ ! -x "$VENV/bin/python" ]] && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    [[ ${#missing[@]} -eq 0 ]] && return 0

    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            echo "test.sh: missing system packages; install them with:" >&2
            echo "  sudo apt-get install -y ${missing[*]}" >&2
            return 0
        fi
    fi
    echo "test.sh: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_system_packages
bash scripts/setup.sh
# axe-core for the browser tests (accessibility checks), pinned in package-lock.json.
[[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --silent --no-audit --no-fund

"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
# The floors (docs/ARCHITECTURE.md): import contracts in pyproject.toml.
"$VENV/bin/lint-imports" --no-cache

status=0
"$VENV/bin/python" -m pytest -q "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "test.sh: pytest collected no tests; that counts as a failure" >&2
    exit 1
fi
exit "$status"
