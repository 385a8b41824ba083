#!/usr/bin/env bash
# `npm run bench`: works on a fresh clone — installs the npm packages (as
# `npm test` does), builds the pod (the OAuth popup page the Xero connection
# goes through is served from dist/pod), then runs the benchmark (bench/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx vite build --logLevel warn
exec npx tsx bench/run.ts "$@"
