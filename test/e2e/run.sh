#!/usr/bin/env bash
# Real-n8n end-to-end test: installs n8n (once, into the gitignored .cache), builds this package,
# then runs the example workflows in n8n against the in-process GrowingIO sandbox (runE2e.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."

N8N_VERSION=2.8.4
N8N_DIR=".cache/n8n-${N8N_VERSION}"
# n8n-nodes-base@2.8.x pulls xlsx from cdn.sheetjs.com, which CI cannot reach: use the registry copy.
N8N_PACKAGE_JSON="{ \"private\": true, \"dependencies\": { \"n8n\": \"${N8N_VERSION}\" }, \"overrides\": { \"xlsx\": \"0.18.5\" } }"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
total_start=$(now)

installed_version() {
	[ -x "${N8N_DIR}/node_modules/.bin/n8n" ] || return 0
	node -p "require('./${N8N_DIR}/node_modules/n8n/package.json').version" 2>/dev/null || true
}

stage_start=$(now)
if [ "$(installed_version)" = "${N8N_VERSION}" ]; then
	echo "e2e: n8n ${N8N_VERSION} already installed in ${N8N_DIR}"
else
	echo "e2e: installing n8n ${N8N_VERSION} into ${N8N_DIR} (takes about 5-7 minutes)"
	mkdir -p "${N8N_DIR}"
	printf '%s\n' "${N8N_PACKAGE_JSON}" > "${N8N_DIR}/package.json"
	(cd "${N8N_DIR}" && npm_config_yes=true npm install --no-audit --no-fund)
	if [ "$(installed_version)" != "${N8N_VERSION}" ]; then
		echo "e2e: n8n install in ${N8N_DIR} did not produce n8n ${N8N_VERSION}" >&2
		exit 1
	fi
fi
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
