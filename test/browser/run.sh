#!/usr/bin/env bash
# Editor test in a real browser: installs n8n (once, into the gitignored .cache), builds this
# package, then drives n8n's editor with Chromium against the in-process GrowingIO sandbox
# (editor.ts). Chromium itself comes from test/browser/install-chromium.sh (apt, needs root).
set -euo pipefail
cd "$(dirname "$0")/../.."

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
total_start=$(now)

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "${CHROMIUM_PATH}" ]; then
	echo "browser: no Chromium at ${CHROMIUM_PATH}: run test/browser/install-chromium.sh (as root) or set CHROMIUM_PATH" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
fi

stage_start=$(now)
bash test/e2e/install-n8n.sh
echo "browser: stage n8n install: $(since "$stage_start") s"

stage_start=$(now)
npm run build
echo "browser: stage build: $(since "$stage_start") s"

stage_start=$(now)
status=0
CHROMIUM_PATH="${CHROMIUM_PATH}" N8N_BIN="$PWD/.cache/n8n-2.8.4/node_modules/.bin/n8n" npx ts-node --transpile-only test/browser/editor.ts || status=$?
echo "browser: stage editor test: $(since "$stage_start") s"
echo "browser: total $(since "$total_start") s"
exit "$status"
