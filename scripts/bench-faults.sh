#!/usr/bin/env bash
# `npm run bench:faults`: the fault matrix (bench/faults.ts) on a fresh clone —
# installs the npm packages (as `npm test` does), makes sure PostgreSQL
# answers (127.0.0.1:5432, or TEST_DATABASE_URL), builds the pod if needed (the
# Xero connection goes through its OAuth popup page), then runs the matrix.
# Arguments go to bench/faults.ts (e.g. --attempts 200 --engines sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
if [ -z "${TEST_DATABASE_URL:-}" ] && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
# Built when missing or older than the pod's sources (a build empties dist/ under anything serving it).
if [ ! -f dist/pod/oauth-popup.html ] || [ -n "$(find pod vite.config.ts -newer dist/pod/oauth-popup.html -print -quit)" ]; then
  npx vite build --logLevel warn
fi
exec npx tsx bench/faults.ts "$@"
