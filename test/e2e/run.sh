#!/usr/bin/env bash
# Real-n8n end-to-end test: installs n8n (once, into the gitignored .cache), builds this package,
# then runs the example workflows in n8n against the in-process GrowingIO sandbox (runE2e.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."

N8N_DIR=".cache/n8n-2.8.4"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
total_start=$(now)

stage_start=$(now)
bash test/e2e/install-n8n.sh
echo "e2e: stage n8n install: $(since "$stage_start") s"

stage_start=$(now)
npm run build
echo "e2e: stage build: $(since "$stage_start") s"

stage_start=$(now)
status=0
N8N_BIN="$PWD/${N8N_DIR}/node_modules/.bin/n8n" npx ts-node --transpile-only test/e2e/runE2e.ts || status=$?
echo "e2e: stage n8n run + checks: $(since "$stage_start") s"
echo "e2e: total $(since "$total_start") s"
exit "$status"
