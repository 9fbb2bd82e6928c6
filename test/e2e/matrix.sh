#!/usr/bin/env bash
# The real-n8n e2e test (run.sh) on every supported n8n: 1.123.81 and 2.8.4 on Node 20, 2.41.1 on
# Node 24. Builds once, runs the versions one after another, prints each version's
# "e2e-<version>: N passed, M failed" and then "e2e-matrix: N passed, M failed"; exits 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSIONS="${E2E_MATRIX_VERSIONS:-1.123.81 2.8.4 2.41.1}"

npm run build
passed=0
failed=0
lines=()
for version in ${VERSIONS}; do
	label="e2e-${version}"
	start=$(date +%s)
	output=$(mktemp)
	set +e
	N8N_VERSION="${version}" E2E_SKIP_BUILD=1 bash test/e2e/run.sh "${label}" | tee "${output}"
	set -e
	summary=$(grep -E "^${label}: [0-9]+ passed, [0-9]+ failed$" "${output}" | tail -1 || true)
	rm -f "${output}"
	[ -n "${summary}" ] || summary="${label}: 0 passed, 1 failed"
	read -r p f < <(echo "${summary}" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/')
	passed=$((passed + p))
	failed=$((failed + f))
	lines+=("${summary} ($(( $(date +%s) - start )) s)")
done
printf '%s\n' "${lines[@]}"
echo "e2e-matrix: ${passed} passed, ${failed} failed"
[ "${failed}" -eq 0 ]
