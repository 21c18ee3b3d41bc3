#!/usr/bin/env bash
# Installs the Debian packages the Ansible tests need on the controller (this
# machine). They are Ansible (Debian 12's package, with the community
# collections the roles use), debootstrap and systemd-nspawn for the local
# provider's guests, and apt-cacher-ng that serves the guests Debian's
# packages. Also proxmoxer for the Proxmox provider and the clients the
# checks use. scripts/test.sh runs it before Jest; scripts/e2e/run.sh too.
#
# Usage: scripts/e2e/install-prerequisites.sh   (as root)
set -euo pipefail

packages=(ansible debootstrap systemd-container apt-cacher-ng zstd mosquitto-clients jq
  python3-bcrypt python3-passlib python3-yaml python3-jmespath python3-proxmoxer python3-venv curl openssl)

if [ "$(id -u)" != 0 ]; then
  echo "install-prerequisites: run as root; it installs ${packages[*]}" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "install-prerequisites: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A new machine may have no package lists yet, or outdated ones.
apt-get update -q >/dev/null
apt-get install -y -q "${missing[@]}" >/dev/null
