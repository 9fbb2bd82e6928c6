#!/usr/bin/env bash
# Installs Debian's Redis and PostgreSQL for the queue-mode test (test/queue/runQueue.ts), once:
# apt-get only when redis-server or a PostgreSQL server is missing. Needs root (CI runs as root).
# The test starts its own servers on free loopback ports; services the packages may start are not used.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v psql >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -eq 0 ]; then
	echo "redis and postgresql already installed: redis $(redis-server --version | cut -d' ' -f3 | cut -d= -f2), postgresql $(ls /usr/lib/postgresql | tr '\n' ' ')"
	exit 0
fi
bash test/apt-install.sh install-services.sh "${missing[@]}"
