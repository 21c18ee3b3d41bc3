#!/usr/bin/env bash
# Build one Go program from the Go module proxy into OUT_DIR.
#
# Usage: build-go-binary.sh MODULE VERSION PACKAGE OUT_DIR [TAGS]
#   build-go-binary.sh github.com/traefik/traefik/v3 v3.6.12 \
#     github.com/traefik/traefik/v3/cmd/traefik bundle/bin
#
# TAGS is an optional comma-separated list of Go build tags. Telegraf's
# "custom,inputs.cpu,outputs.influxdb", for example, builds only the plugins
# named (a Telegraf custom build), because all of them take about half an
# hour on two cores.
#
# `go install PKG@VERSION` refuses modules whose go.mod has replace
# directives (Traefik forks two dependencies that way), so the program is
# built from a throw-away main module that requires it and repeats its
# replace and exclude directives. Local-path replaces cannot be repeated and
# are rejected with an error.
set -euo pipefail

module="${1:?MODULE missing, for example github.com/traefik/traefik/v3}"
version="${2:?VERSION missing, for example v3.6.12}"
package="${3:?PACKAGE missing, for example github.com/traefik/traefik/v3/cmd/traefik}"
out_dir="${4:?OUT_DIR missing}"
tags="${5:-}"

mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
go mod init weft.invalid/bundle-build >/dev/null 2>&1
go mod download -json "$module@$version" >download.json
upstream_mod="$(python3 -c 'import json,sys; print(json.load(open("download.json"))["GoMod"])')"

# Copy the upstream replace/exclude blocks verbatim, one directive per line.
python3 - "$upstream_mod" >>go.mod <<'PY'
import re, sys

text = open(sys.argv[1], encoding="utf-8").read()
lines = []
for keyword in ("replace", "exclude"):
    for block in re.findall(rf"^{keyword} \(\n(.*?)^\)", text, re.S | re.M):
        lines += [f"{keyword} {l.strip()}" for l in block.splitlines() if l.strip() and not l.strip().startswith("//")]
    lines += [l for l in re.findall(rf"^{keyword} [^(\n].*$", text, re.M)]
for line in lines:
    if re.search(r"=>\s*\.", line):
        sys.exit(f"local-path replace cannot be built outside the upstream tree: {line}; pick another VERSION")
print("\n".join(lines))
PY

go get "$package@$version"
name="$(basename "$package")"
CGO_ENABLED=0 go build -trimpath -tags "$tags" -ldflags "-s -w" -o "$out_dir/$name" "$package"
echo "built $out_dir/$name from $module@$version${tags:+ with tags $tags}"
