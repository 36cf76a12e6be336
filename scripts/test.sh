#!/usr/bin/env bash
# The whole suite: lint, types, migrations, translations, pytest on SQLite, pytest on
# PostgreSQL, browser tests in Debian's Chromium. With ONESTOP_REQUIRE_POSTGRES=1 or
# ONESTOP_REQUIRE_BROWSER=1 (as .ci/run sets), a part that cannot run fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
export DEBUG=true  # settings' production hardening (SSL redirect) off; pytest-django sets DEBUG=False
export PYTHONDONTWRITEBYTECODE=1
USER_DATABASE_URL=${DATABASE_URL:-}
unset DATABASE_URL
SUMMARY=()

step() { printf '\n== %s\n' "$*"; }

run_pytest() {  # label, pytest args...
  local label=$1; shift
  local log; log=$(mktemp)
  set +e
  "$PY" -m pytest "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  SUMMARY+=("$label: $(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed|error).* =+$|no tests ran' "$log" | tail -1)")
  rm -f "$log"
  if [ "$rc" -ne 0 ]; then
    printf '%s\n' "${SUMMARY[@]}"
    exit "$rc"
  fi
}

step "ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
step "mypy"
"$VENV/bin/mypy" .
step "migrations are up to date"
"$PY" manage.py makemigrations --check --dry-run
step "translations"
"$PY" manage.py check_translations
"$PY" manage.py compile_translations

step "pytest on SQLite"
run_pytest "SQLite" -m "not browser"

step "pytest on PostgreSQL"
if [ -n "$USER_DATABASE_URL" ] && [[ "$USER_DATABASE_URL" == postgres* ]]; then
  DATABASE_URL="$USER_DATABASE_URL" run_pytest "PostgreSQL" -m "not browser"
elif PG_URL_FILE=$(mktemp) && scripts/pg-throwaway.sh start "$PG_URL_FILE"; then
  trap 'scripts/pg-throwaway.sh stop "$PG_URL_FILE"' EXIT
  DATABASE_URL="$(head -1 "$PG_URL_FILE")" run_pytest "PostgreSQL" -m "not browser"
elif [ "${ONESTOP_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required but no server could be started." >&2
  exit 1
else
  echo "SKIPPED: no DATABASE_URL and no PostgreSQL server binaries on this machine."
  SUMMARY+=("PostgreSQL: SKIPPED (no server)")
fi

step "browser tests (Chromium)"
if [ -x "${ONESTOP_CHROMIUM:-/usr/bin/chromium}" ]; then
  run_pytest "Browser" -m browser
elif [ "${ONESTOP_REQUIRE_BROWSER:-0}" = 1 ]; then
  echo "Browser tests are required but ${ONESTOP_CHROMIUM:-/usr/bin/chromium} is missing." >&2
  exit 1
else
  echo "SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium)."
  SUMMARY+=("Browser: SKIPPED (no chromium)")
fi

step "summary"
printf '%s\n' "${SUMMARY[@]}"
