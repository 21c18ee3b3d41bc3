#!/usr/bin/env bash
# Manage the `local` provider's container hosts: systemd-nspawn machines
# booted with systemd on a private bridge of this machine, reached over SSH.
#
# Usage:
#   weft-local.sh network-up   BRIDGE ADDRESS/PREFIX   # e.g. weftbr0 10.231.0.1/24
#   weft-local.sh network-down BRIDGE
#   weft-local.sh cache-up     BRIDGE_ADDRESS          # apt-cacher-ng for the guests
#   weft-local.sh cache-down
#   weft-local.sh image        SUITE                   # bookworm or trixie; prints the image path
#   weft-local.sh create       NAME ADDRESS/PREFIX GATEWAY SUITE PUBKEY_FILE
#   weft-local.sh start        NAME BRIDGE ADDRESS
#   weft-local.sh stop         NAME
#   weft-local.sh destroy      NAME
#   weft-local.sh status       NAME                    # prints running or stopped
#
# State lives under WEFT_LOCAL_DIR (default /var/lib/weft-local). The guests
# get no default route and no DNS: they reach only the bridge address, where
# apt-cacher-ng serves Debian's packages.
set -euo pipefail

state_dir="${WEFT_LOCAL_DIR:-/var/lib/weft-local}"
images_dir="$state_dir/images"
machines_dir="$state_dir/machines"
run_dir="$state_dir/run"
cache_port="${WEFT_LOCAL_CACHE_PORT:-3142}"
debian_mirror="${WEFT_LOCAL_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
script_path="$(readlink -f "${BASH_SOURCE[0]}")"

die() {
  echo "weft-local: $*" >&2
  exit 1
}

network_up() {
  local bridge="$1" address="$2"

  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
  fi
  local addresses
  addresses="$(ip -o addr show dev "$bridge")"
  if [[ "$addresses" != *" ${address} "* ]]; then
    ip addr add "$address" dev "$bridge"
  fi
  ip link set "$bridge" up
}

network_down() {
  local bridge="$1"

  if ip link show "$bridge" >/dev/null 2>&1; then
    ip link delete "$bridge"
  fi
}

cache_up() {
  local bind_address="$1"
  local conf=/etc/apt-cacher-ng

  command -v apt-cacher-ng >/dev/null || die "apt-cacher-ng is not installed; run: apt-get install apt-cacher-ng"

  # Without an explicit Debian backend apt-cacher-ng answers 503 for
  # deb.debian.org, and apt in the guests then hangs until its timeout.
  echo "${debian_mirror%/}/" >"$conf/backends_debian"
  cat >"$conf/zz-weft-local.conf" <<CONF
# Written by weft-local.sh: serve the local provider's guests.
BindAddress: 127.0.0.1 $bind_address
Port: $cache_port
CONF

  if [ -d /run/systemd/system ]; then
    systemctl restart apt-cacher-ng
  else
    mkdir -p "$run_dir"
    cache_down
    /usr/sbin/apt-cacher-ng -c "$conf" ForeGround=0 "PidFile=$run_dir/apt-cacher-ng.pid"
  fi

  for _ in $(seq 1 50); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$cache_port/acng-report.html"; then
      return 0
    fi
    sleep 0.2
  done
  die "apt-cacher-ng did not answer on 127.0.0.1:$cache_port; see /var/log/apt-cacher-ng/"
}

cache_down() {
  local pid_file="$run_dir/apt-cacher-ng.pid"

  if [ -d /run/systemd/system ]; then
    return 0
  fi
  if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    kill "$(cat "$pid_file")"
    rm -f "$pid_file"
  fi
}

# The image key covers the image() function below, so changing how images
# are built (the package list, say) rebuilds them, and other edits do not.
image_path() {
  local suite="$1"
  local key

  key="$(sed -n '/^image() {/,/^}/p' "$script_path" | sha256sum | cut -c1-12)"
  echo "$images_dir/$suite-$key.tar.zst"
}

image() {
  local suite="$1"
  local path root

  case "$suite" in
    bookworm | trixie) ;;
    *) die "unsupported SUITE '$suite'; use bookworm or trixie" ;;
  esac

  path="$(image_path "$suite")"
  if [ -s "$path" ]; then
    echo "$path"
    return 0
  fi

  mkdir -p "$images_dir"
  root="$(mktemp -d "$images_dir/build-$suite.XXXX")"
  # mktemp makes the directory 0700; as the guest's / that would stop every
  # service that runs as another user (systemd-networkd fails with CHDIR).
  chmod 0755 "$root"
  # Through the package cache when it runs (the provider starts it), and
  # straight from the mirror otherwise (the bundle builder's case).
  local proxy=""
  if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$cache_port/acng-report.html" 2>/dev/null; then
    proxy="http://127.0.0.1:$cache_port"
  fi
  http_proxy="$proxy" debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,openssh-server,python3,python3-apt,iproute2,ca-certificates,libpam-systemd \
    "$suite" "$root" "$debian_mirror" >"$root.log" 2>&1 ||
    die "debootstrap of $suite failed; see $root.log"

  # Guests have no DNS, so they fetch through the cache on the bridge.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $debian_mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${debian_mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  : >"$root/etc/machine-id"
  systemctl --root="$root" enable systemd-networkd.service ssh.service >/dev/null 2>&1

  tar -C "$root" --numeric-owner -cf - . | zstd -q -T0 -o "$path.tmp"
  mv "$path.tmp" "$path"
  rm -rf "$root" "$root.log"
  echo "$path"
}

create() {
  local name="$1" address="$2" gateway="$3" suite="$4" pubkey_file="$5"
  local root="$machines_dir/$name"
  local image_file

  [ -f "$pubkey_file" ] || die "PUBKEY_FILE '$pubkey_file' not found; create it with ssh-keygen"
  if [ -d "$root" ]; then
    return 0
  fi

  image_file="$(image "$suite")"
  mkdir -p "$root"
  zstd -q -d -c "$image_file" | tar -C "$root" --numeric-owner -xf -
  chmod 0755 "$root"

  echo "$name" >"$root/etc/hostname"
  # Every clone gets its own SSH host keys; the controller pins them from
  # here (ssh_host_ed25519_key.pub) instead of trusting the first answer.
  rm -f "$root"/etc/ssh/ssh_host_*
  ssh-keygen -q -A -f "$root"
  # Same file name as systemd's own container default, which it replaces:
  # that one asks for DHCP, and nothing serves DHCP on the bridge.
  cat >"$root/etc/systemd/network/80-container-host0.network" <<NET
[Match]
Name=host0

[Network]
Address=$address
NET
  # Only the bridge address is reachable: apt goes through its cache, and a
  # dead proxy fails in seconds rather than minutes.
  cat >"$root/etc/apt/apt.conf.d/01weft-local-proxy" <<APT
Acquire::http::Proxy "http://$gateway:$cache_port";
Acquire::http::Timeout "20";
Acquire::Retries "2";
APT
  install -d -m 0700 "$root/root/.ssh"
  install -m 0600 "$pubkey_file" "$root/root/.ssh/authorized_keys"
  # Keep root's systemd user manager running (lingering). Stopping it after
  # the last SSH session can hang in a container until systemd gives up, and
  # a login in the meantime waits for it: 70 s on Debian 13, longer than
  # Ansible waits.
  install -d -m 0755 "$root/var/lib/systemd/linger"
  : >"$root/var/lib/systemd/linger/root"
}

start() {
  local name="$1" bridge="$2" address="$3"
  local root="$machines_dir/$name"
  local pid_file="$run_dir/$name.pid"

  [ -d "$root" ] || die "machine '$name' does not exist; run: $0 create $name ..."
  mkdir -p "$run_dir"
  if [ "$(status "$name")" = running ]; then
    return 0
  fi

  # A host-side veth link left by a guest that did not stop cleanly makes
  # nspawn fail with "File exists"; nspawn names it vb-NAME, cut to 15 characters.
  local veth="vb-$name"
  veth="${veth:0:15}"
  if ip link show "$veth" >/dev/null 2>&1; then
    ip link delete "$veth"
  fi

  # --keep-unit is required where PID 1 is not systemd, otherwise the
  # container does not boot; --register=no keeps machined out of it.
  # nspawn's seccomp filter rejects mlock() with EPERM unless the container
  # keeps CAP_IPC_LOCK. Telegraf locks the memory that holds its secrets and
  # panics without it. The services still get only RLIMIT_MEMLOCK (8 MiB).
  setsid systemd-nspawn -D "$root" -M "$name" --register=no --keep-unit --boot \
    --capability=CAP_IPC_LOCK --console=passive --network-bridge="$bridge" \
    </dev/null >"$run_dir/$name.log" 2>&1 &
  echo $! >"$pid_file"

  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if timeout 1 bash -c "echo >/dev/tcp/${address%/*}/22" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      die "machine '$name' exited while booting; see $run_dir/$name.log"
    fi
    sleep 0.2
  done
  die "machine '$name' did not open SSH on ${address%/*}:22 within 60 s; see $run_dir/$name.log"
}

stop() {
  local name="$1"
  local pid_file="$run_dir/$name.pid"
  local pid leader

  [ -s "$pid_file" ] || return 0
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    # The guest's init: nspawn's child, the first process of its namespaces.
    leader="$(pgrep -P "$pid" | head -1 || true)"
    kill -TERM "$pid"
    # A guest halts in about 2 s when idle and may take much longer under load.
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid"
      # Killing nspawn leaves the guest's init running in its namespaces,
      # with its veth link; killing that init ends every process of the guest.
      if [ -n "$leader" ]; then
        kill -KILL "$leader" 2>/dev/null || true
      fi
    fi
  fi
  rm -f "$pid_file"
}

destroy() {
  local name="$1"

  stop "$name"
  # The guest's journald may still flush into its /run for a moment after
  # nspawn exits, so a first removal can meet a file that appears under it.
  for _ in 1 2 3 4 5; do
    if rm -rf "${machines_dir:?}/$name" 2>/dev/null; then
      return 0
    fi
    sleep 1
  done
  rm -rf "${machines_dir:?}/$name"
}

status() {
  local name="$1"
  local pid_file="$run_dir/$name.pid"

  if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo running
  else
    echo stopped
  fi
}

command="${1:-}"
shift || true
case "$command" in
  network-up) network_up "$@" ;;
  network-down) network_down "$@" ;;
  cache-up) cache_up "$@" ;;
  cache-down) cache_down ;;
  image) image "$@" ;;
  create) create "$@" ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  destroy) destroy "$@" ;;
  status) status "$@" ;;
  *) die "unknown command '$command'; see the usage at the top of $0" ;;
esac
