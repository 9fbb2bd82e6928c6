#!/usr/bin/env bash
# Installs Debian's Chromium for the editor test (test/browser/run.sh), once: apt-get only when
# /usr/bin/chromium is missing. Needs root (CI runs as root). Never downloads Playwright's browsers.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | tail -1)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-chromium.sh needs root (apt-get install chromium)" >&2
	exit 1
fi
start=$(date +%s)
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
echo "chromium installed in $(( $(date +%s) - start )) s: $(/usr/bin/chromium --version 2>/dev/null | tail -1)"
