#!/usr/bin/env bash
# n8n's community-package scanner on each package of this repository, the way n8n runs it before
# verification: its own rules on the source (package.json, nodes/, credentials/) and on the packed
# tarball. Without arguments it scans all three packages; or name package folders, e.g.
# `npm run scan -- packages/n8n-nodes-openpanel`. Exits 1 when any package has a problem.
# The scanner is installed once into the gitignored .cache; --ignore-scripts because its
# n8n-workflow pulls isolated-vm, which does not build on Node 20 (the analysis never loads it).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

SCANNER_VERSION=0.32.0
SCANNER_DIR=".cache/scanner-${SCANNER_VERSION}"
if [ ! -f "${SCANNER_DIR}/node_modules/@n8n/scan-community-package/scanner/scanner.mjs" ]; then
	echo "installing @n8n/scan-community-package ${SCANNER_VERSION} into ${SCANNER_DIR}"
	mkdir -p "${SCANNER_DIR}"
	echo '{ "private": true }' > "${SCANNER_DIR}/package.json"
	(cd "${SCANNER_DIR}" && npm install --ignore-scripts --no-audit --no-fund "@n8n/scan-community-package@${SCANNER_VERSION}" >/dev/null)
fi
scanner="$repo/${SCANNER_DIR}/node_modules/@n8n/scan-community-package/scanner/scanner.mjs"

if [ $# -gt 0 ]; then packages=("$@"); else packages=(. packages/n8n-nodes-openpanel packages/n8n-nodes-saferme); fi

npm run build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for dir in "${packages[@]}"; do
	name=$(node -p "require('./$dir/package.json').name")
	mkdir -p "$work/$name/tarball"
	(cd "$dir" && npm pack --silent --pack-destination "$work/$name" >/dev/null)
	tar -xzf "$work/$name"/*.tgz -C "$work/$name/tarball" --strip-components=1
	echo "== ${name} (${dir})"
	node scripts/scan.mjs "$scanner" "$repo/$dir" "$work/$name/tarball" "$name" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "scan: problems in ${failed[*]}"
	exit 1
fi
echo "scan: 0 problems in ${#packages[@]} packages"
