#!/usr/bin/env bash
# Installs Debian's Chromium for the editor test (test/browser/run.sh), once: apt-get only when
# /usr/bin/chromium is missing. Needs root (CI runs as root). Never downloads Playwright's browsers.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -x /usr/bin/chromium ]; then
	echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | tail -1)"
	exit 0
fi
bash test/apt-install.sh install-chromium.sh chromium
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | tail -1)"
