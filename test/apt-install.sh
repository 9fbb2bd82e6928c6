#!/usr/bin/env bash
# Installs Debian packages for a test stage: bash test/apt-install.sh <caller> <package>...
# Needs root (CI runs as root); prints how long the install took. Callers check first whether
# what they need is already there and call this only when it is not.
set -euo pipefail

caller="$1"
shift
if [ "$(id -u)" -ne 0 ]; then
	echo "${caller} needs root (apt-get install $*)" >&2
	exit 1
fi
start=$(date +%s)
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
echo "$* installed in $(( $(date +%s) - start )) s"
