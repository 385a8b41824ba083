#!/usr/bin/env bash
# `npm test`: install what the tests need (npm packages, Debian's Chromium),
# make sure PostgreSQL answers, then type-check, build the pod and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
npx tsc --noEmit
# The server as production runs it (dist-server/, tests/server/compiled-server.test.ts starts it).
npx tsc -p tsconfig.build.json
npx vite build --logLevel warn
npx vitest run "$@"
