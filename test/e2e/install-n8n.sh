#!/usr/bin/env bash
# Installs the real n8n used by the end-to-end test and the local editor into the gitignored
# .cache/n8n-<version>, once; later calls find it and return at once.
set -euo pipefail
cd "$(dirname "$0")/../.."

N8N_VERSION=2.8.4
N8N_DIR=".cache/n8n-${N8N_VERSION}"
# n8n-nodes-base@2.8.x pulls xlsx from cdn.sheetjs.com, which CI cannot reach: use the registry copy.
N8N_PACKAGE_JSON="{ \"private\": true, \"dependencies\": { \"n8n\": \"${N8N_VERSION}\" }, \"overrides\": { \"xlsx\": \"0.18.5\" } }"

installed_version() {
	[ -x "${N8N_DIR}/node_modules/.bin/n8n" ] || return 0
	node -p "require('./${N8N_DIR}/node_modules/n8n/package.json').version" 2>/dev/null || true
}

if [ "$(installed_version)" = "${N8N_VERSION}" ]; then
	echo "n8n ${N8N_VERSION} already installed in ${N8N_DIR}"
	exit 0
fi
echo "installing n8n ${N8N_VERSION} into ${N8N_DIR} (takes about 5-7 minutes)"
mkdir -p "${N8N_DIR}"
printf '%s\n' "${N8N_PACKAGE_JSON}" > "${N8N_DIR}/package.json"
(cd "${N8N_DIR}" && npm_config_yes=true npm install --no-audit --no-fund)
if [ "$(installed_version)" != "${N8N_VERSION}" ]; then
	echo "n8n install in ${N8N_DIR} did not produce n8n ${N8N_VERSION}" >&2
	exit 1
fi
