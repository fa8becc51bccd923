#!/usr/bin/env bash
# Run one command against a throwaway PostgreSQL server, then stop it:
#   scripts/pg-run.sh .venv/bin/python -m pytest -m "not browser"
set -euo pipefail
cd "$(dirname "$0")/.."

env_lines=$(scripts/pg-start.sh)
eval "$env_lines"
trap 'scripts/pg-stop.sh "$KRUPD_PG_DIR"' EXIT
"$@"
