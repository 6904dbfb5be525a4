#!/usr/bin/env bash
# Install what the tests need and run the whole suite: lint, migrations check, then every test on SQLite and,
# when a PostgreSQL server is reachable, on PostgreSQL too. Browser tests drive Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
PG_URL="${PLAZA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/plaza_ci}"
WORKERS="${PLAZA_TEST_WORKERS:-2}"

# Each step says how long the run has taken so far (issue 13: the suite's time stays in view).
STARTED=$SECONDS
step() { printf '\n\033[1;31m▶ %s\033[0m (%ss)\n' "$*" "$((SECONDS - STARTED))"; }

step "Python environment (.venv) with test dependencies"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# Installed again only when what pip reads from pyproject.toml ([project], [build-system]) changed since the last
# run (a stamp in .venv keeps its hash): a change to the tools' sections (pytest, ruff, mypy) installs nothing.
PY_STAMP="$(.venv/bin/python -c 'import hashlib, json, sys, tomllib
d = tomllib.load(open("pyproject.toml", "rb"))
print(hashlib.sha256(json.dumps([d.get("project"), d.get("build-system")], sort_keys=True).encode()).hexdigest())')"
if [ "$(cat .venv/.plaza-installed 2>/dev/null)" != "$PY_STAMP" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$PY_STAMP" > .venv/.plaza-installed
fi

step "Front-end libraries from npm"
# npm ci empties node_modules and downloads everything again: only when package-lock.json changed.
JS_STAMP="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-64)"
if [ "$(cat node_modules/.plaza-installed 2>/dev/null)" != "$JS_STAMP" ]; then
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  echo "$JS_STAMP" > node_modules/.plaza-installed
fi
.venv/bin/python scripts/build_assets.py

if [ ! -x /usr/bin/chromium ]; then
  step "Debian chromium for the browser tests"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

step "Test database templates: migrated in the background while the checks below run"
# Every migration runs once per run into a template each test process copies (plaza/testing/database.py); built
# here on the second core while lint and mypy use the first, instead of while the first tests wait for it. A test
# process that starts before it is done waits on the same lock; a failure here is reported by the tests themselves.
(
  env -u PLAZA_DATABASE_URL .venv/bin/python -m plaza.testing.database
  PLAZA_DATABASE_URL="$PG_URL" .venv/bin/python -m plaza.testing.database 2>/dev/null || true
) >/dev/null 2>&1 &
TEMPLATES_PID=$!
trap 'kill "$TEMPLATES_PID" 2>/dev/null || true' EXIT

step "Lint (ruff) and migrations check"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --check . | tail -5; exit 1; }
DJANGO_SETTINGS_MODULE=plaza.settings.test .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null

step "Layers (import-linter contract in pyproject.toml) and in-function imports (at most 20, each with a reason)"
.venv/bin/lint-imports --no-cache
.venv/bin/python scripts/check_imports.py

step "Types (mypy with django-stubs: plaza/rules and every services.py and queries.py)"
.venv/bin/mypy

step "Tests on SQLite"
# A module's tests share one worker (conftest.py's pytest_xdist_make_scheduler schedules by work_unit: by module),
# so a module-wide fixture (the demo enterprise) is built once; the page walk's roles are units of their own.
# --no-loadscope-reorder keeps conftest.py's order: the slowest modules go first, none is left for the end.
# --durations: the slowest tests are printed, so the suite's time stays in view (issue 13).
DIST=(-n "$WORKERS" --dist loadgroup --no-loadscope-reorder)
env -u PLAZA_DATABASE_URL .venv/bin/pytest "${DIST[@]}" -q --durations=15 "$@"

if .venv/bin/python - "$PG_URL" <<'PY'
import os, sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    if os.environ.get("CI", "").lower() == "true":  # CI must test PostgreSQL: a missing server fails the run
        print(f"PostgreSQL not reachable at {sys.argv[1]} ({exc}); CI=true needs it", file=sys.stderr)
        sys.exit(2)
    print(f"PostgreSQL not reachable ({exc}); skipping the PostgreSQL run")
    sys.exit(1)
PY
then
  step "Tests on PostgreSQL"
  # Only the tests that use the database (PLAZA_TEST_DATABASE_ONLY, plaza/testing/database.py): the others ran
  # above and do not depend on it.
  PLAZA_TEST_DATABASE_ONLY=1 PLAZA_DATABASE_URL="$PG_URL" \
    .venv/bin/pytest "${DIST[@]}" -q --durations=15 -m "not browser" "$@"
elif [ $? -eq 2 ]; then
  exit 1
fi
step "Done"
