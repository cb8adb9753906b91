#!/usr/bin/env bash
# `npm run demo`: install what is missing, build, then start the local cluster, a writer and the dashboard.
# `npm run demo -- --sentinel` also starts a Sentinel deployment (master, 2 replicas, 3 sentinels, HAProxy) beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash scripts/setup.sh redis-server redis-tools redis-sentinel haproxy
echo "demo: building the dashboard" >&2
npm run build
exec npx tsx scripts/demo.ts "$@"
