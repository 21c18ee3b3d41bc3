#!/usr/bin/env bash
# The README's demo command: installs what the demo needs (Node.js into
# .tools/, npm packages, Debian's mosquitto, influxdb and postgresql packages), builds
# Weft, and runs the demo. Arguments go to the demo (--once, --port N,
# --dir FOLDER).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh

missing=()
command -v mosquitto >/dev/null 2>&1 || missing+=(mosquitto)
command -v mosquitto_passwd >/dev/null 2>&1 || missing+=(mosquitto)
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "demo: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "demo: installing ${missing[*]} from Debian" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages start system services; the demo runs its own instances on free ports.
  systemctl disable --now mosquitto influxdb postgresql >/dev/null 2>&1 || true
fi

# npm ci empties node_modules first; through a symlink that would empty the
# folder it points to, which another checkout may be using.
if [ -L node_modules ]; then
  echo "demo: node_modules is a symlink; using it as it is" >&2
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
exec node dist/scripts/demo/run-demo.js "$@"
