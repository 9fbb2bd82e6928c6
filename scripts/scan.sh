#!/usr/bin/env bash
# n8n's community-package scanner on this package, the way n8n runs it before verification:
# its own rules on the source (package.json, nodes/, credentials/) and on the packed tarball.
# The scanner is installed once into the gitignored .cache; --ignore-scripts because its
# n8n-workflow pulls isolated-vm, which does not build on Node 20 (the analysis never loads it).
set -euo pipefail
cd "$(dirname "$0")/.."

SCANNER_VERSION=0.32.0
SCANNER_DIR=".cache/scanner-${SCANNER_VERSION}"
if [ ! -f "${SCANNER_DIR}/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" ]; then
	echo "installing @n8n/scan-community-package ${SCANNER_VERSION} into ${SCANNER_DIR}"
	mkdir -p "${SCANNER_DIR}"
	echo '{ "private": true }' > "${SCANNER_DIR}/package.json"
	(cd "${SCANNER_DIR}" && npm install --ignore-scripts --no-audit --no-fund "@n8n/scan-community-package@${SCANNER_VERSION}" >/dev/null)
fi

npm run build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
mkdir -p "$work/tarball"
tar -xzf "$work"/*.tgz -C "$work/tarball" --strip-components=1

node scripts/scan.mjs "${SCANNER_DIR}/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" "$PWD" "$work/tarball"
