#!/usr/bin/env bash
# Install Plaza into .venv, build the front-end assets, migrate the embedded SQLite database, load the demo
# enterprise (only the first time), then start the web server (uvicorn, one process, `plaza/core/server.py`) with
# the in-process scheduler beside it. PLAZA_ADDR=HOST:PORT (default 127.0.0.1:8000) picks where it listens;
# PLAZA_DATABASE_URL another database than var/plaza.sqlite3.
# Safe to run again: it keeps the data in var/.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
ADDR="${PLAZA_ADDR:-127.0.0.1:8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-plaza.settings.dev}"

step() { printf '\n\033[1;31m▶ %s\033[0m\n' "$*"; }

step "Python environment (.venv)"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .

step "Front-end libraries from npm"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
.venv/bin/python scripts/build_assets.py
# Hashed names (cached for a year) with .gz/.br copies in var/static, served by WhiteNoise.
.venv/bin/python manage.py collectstatic --noinput -v 0

step "Database (SQLite in var/ unless PLAZA_DATABASE_URL says otherwise)"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo --if-empty

step "Starting Plaza"
.venv/bin/python manage.py welcome --addr "$ADDR"
exec .venv/bin/python -m plaza.core.server "${ADDR%:*}" "${ADDR##*:}" 1
