#!/usr/bin/env bash
# Real-n8n end-to-end test: installs n8n (once, into the gitignored .cache), builds this package,
# then runs the example workflows in n8n against the in-process GrowingIO sandbox (runE2e.ts).
# Other real-n8n runners reuse it: run.sh <label> <runner.ts> (test/browser/run.sh does).
# N8N_VERSION picks the n8n (default 2.8.4; also 1.123.81 and 2.41.1); test/e2e/matrix.sh runs all three.
# E2E_SKIP_BUILD=1 uses the dist/ that is there (matrix.sh builds once).
set -euo pipefail
cd "$(dirname "$0")/../.."

LABEL="${1:-e2e}"
RUNNER="${2:-test/e2e/runE2e.ts}"
N8N_VERSION="${N8N_VERSION:-2.8.4}"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
total_start=$(now)

stage_start=$(now)
N8N_BIN="$(bash test/e2e/install-n8n.sh "${N8N_VERSION}" | tail -n 1)"
case "${N8N_VERSION}" in 1.* | 2.8.*) ;; *) bash test/e2e/install-node24.sh >/dev/null ;; esac
echo "${LABEL}: stage n8n ${N8N_VERSION} install: $(since "$stage_start") s"

if [ "${E2E_SKIP_BUILD:-}" != "1" ]; then
	stage_start=$(now)
	npm run build
	echo "${LABEL}: stage build: $(since "$stage_start") s"
fi

stage_start=$(now)
output=$(mktemp)
set +e
N8N_BIN="${N8N_BIN}" E2E_LABEL="${LABEL}" npx ts-node --transpile-only "${RUNNER}" | tee "${output}"
status=${PIPESTATUS[0]}
set -e
echo "${LABEL}: stage n8n run + checks: $(since "$stage_start") s"
echo "${LABEL}: total $(since "$total_start") s"
# The runner's "<label>: N passed, M failed" stays the last line, after the timings.
summary=$(grep -E "^${LABEL}: [0-9]+ passed, [0-9]+ failed$" "${output}" | tail -1 || true)
rm -f "${output}"
if [ -z "${summary}" ]; then summary="${LABEL}: 0 passed, 1 failed"; [ "${status}" -ne 0 ] || status=1; fi
echo "${summary}"
exit "$status"
