#!/usr/bin/env bash
# Editor test in a real browser: installs n8n (once), builds this package, then drives n8n's
# editor with Chromium against the in-process GrowingIO sandbox (editor.ts), through the e2e
# test's runner script. Chromium comes from test/browser/install-chromium.sh (apt, needs root).
set -euo pipefail
cd "$(dirname "$0")/../.."

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "${CHROMIUM_PATH}" ]; then
	echo "browser: no Chromium at ${CHROMIUM_PATH}: run test/browser/install-chromium.sh (as root) or set CHROMIUM_PATH" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
fi
exec bash test/e2e/run.sh browser test/browser/editor.ts
