#!/usr/bin/env bash
# `npm start`: install if needed, build the pod, then run the server and both
# simulators with the demo tenant registered (see scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Checking what is installed (npm packages)…"
bash scripts/install.sh
echo "Building the pods (vite)…"
npx vite build --logLevel warn
exec npx tsx scripts/start.ts
