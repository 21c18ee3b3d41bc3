#!/usr/bin/env bash
# Build wheels of Python requirements for a Debian release other than the
# controller's, so that guests of that release install them offline.
#
# Usage: build-python-wheels.sh SUITE OUT_DIR REQUIREMENT...
#   build-python-wheels.sh trixie /tmp/ha homeassistant==2026.2.3 paho-mqtt==2.1.0
#
# pip cannot download wheels for another Python without a wheel for every
# package, and some packages publish only a source archive. So the wheels
# are built inside a throwaway systemd-nspawn container of SUITE (the local
# provider's guest image, with the host's network): its Python compiles what
# has no wheel, exactly as the guests' Python will load it.
#
# OUT_DIR receives the wheels and requirements.txt (the REQUIREMENT list).
# WEFT_WHEEL_CACHE (default ~/.cache/weft/wheels) keeps each result under a
# key of SUITE, the requirements and this script; a second call copies it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
local_script="$here/../providers/local/weft-local.sh"
script_path="$(readlink -f "${BASH_SOURCE[0]}")"

suite="${1:?SUITE missing; usage: build-python-wheels.sh SUITE OUT_DIR REQUIREMENT...}"
out="${2:?OUT_DIR missing; usage: build-python-wheels.sh SUITE OUT_DIR REQUIREMENT...}"
shift 2
[ "$#" -gt 0 ] || { echo "build-python-wheels: name at least one REQUIREMENT, such as homeassistant==2026.2.3" >&2; exit 2; }

log() { echo "build-python-wheels: $*" >&2; }

key="$({ echo "$suite"; printf '%s\n' "$@"; cat "$script_path"; } | sha256sum | cut -c1-16)"
cache="${WEFT_WHEEL_CACHE:-${HOME:-/root}/.cache/weft/wheels}/$suite-$key"

if [ ! -s "$cache/requirements.txt" ]; then
  command -v systemd-nspawn >/dev/null || { echo "build-python-wheels: systemd-nspawn is missing; run: apt-get install systemd-container" >&2; exit 1; }
  image="$("$local_script" image "$suite")"
  work="$(mktemp -d "${TMPDIR:-/tmp}/weft-wheels.XXXX")"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/root" "$work/wheels"
  zstd -q -d -c "$image" | tar -C "$work/root" --numeric-owner -xf -
  printf '%s\n' "$@" >"$work/wheels/requirements.txt"

  # The container shares the host's network and trusts what the host trusts,
  # so pip works the same as on the host (an index mirror set in PIP_INDEX_URL
  # included).
  nspawn_options=(--quiet --register=no --keep-unit --pipe --resolv-conf=copy-host
    --bind="$work/wheels:/wheels" --setenv=DEBIAN_FRONTEND=noninteractive)
  for variable in PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_DEFAULT_TIMEOUT; do
    if [ -n "${!variable:-}" ]; then nspawn_options+=("--setenv=$variable=${!variable}"); fi
  done
  if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    nspawn_options+=(--bind-ro=/etc/ssl/certs/ca-certificates.crt:/etc/weft-host-ca.crt
      --setenv=PIP_CERT=/etc/weft-host-ca.crt)
  fi

  log "building wheels for Debian $suite: $*"
  systemd-nspawn -D "$work/root" "${nspawn_options[@]}" /bin/sh -c '
    set -e
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends python3-venv python3-dev build-essential >/dev/null
    python3 -m venv /opt/wheel-builder
    /opt/wheel-builder/bin/pip wheel --quiet --disable-pip-version-check --wheel-dir /wheels -r /wheels/requirements.txt
  ' || { echo "build-python-wheels: building the wheels failed (see above); nothing was cached" >&2; exit 1; }

  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache.tmp"
  cp -r "$work/wheels" "$cache.tmp"
  mv "$cache.tmp" "$cache"
fi

mkdir -p "$out"
cp "$cache"/* "$out/"
log "$(find "$out" -name '*.whl' | wc -l) wheels in $out"
