#!/usr/bin/env bash
# Lint the collection: ansible-lint with the production profile, then
# yamllint. Both come from PyPI into a virtual environment, pinned here.
#
# Usage: ansible/tools/lint.sh [all|ansible-lint|yamllint]   (default: all)
# WEFT_LINT_VENV: where the environment lives (default .cache/ansible-lint-venv
# in the repository); it is made on the first run and reused after that.
set -euo pipefail

which_linter="${1:-all}"
case "$which_linter" in
  all | ansible-lint | yamllint) ;;
  *) echo "lint.sh: unknown linter '$which_linter'; use all, ansible-lint or yamllint" >&2; exit 2 ;;
esac

ansible_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(dirname "$ansible_dir")"
venv="${WEFT_LINT_VENV:-$repo/.cache/ansible-lint-venv}"
ansible_lint_version=25.12.2
yamllint_version=1.38.0
ansible_core_version=2.19.14

if ! "$venv/bin/ansible-lint" --version 2>/dev/null | grep -q "ansible-lint $ansible_lint_version "; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "ansible-lint==$ansible_lint_version" "yamllint==$yamllint_version" \
    "ansible-core==$ansible_core_version"
fi

# The roles use the collections of Debian's ansible package (see
# requirements.yml); the pip-installed ansible-core finds them there.
if [ -d /usr/lib/python3/dist-packages/ansible_collections ]; then
  export ANSIBLE_COLLECTIONS_PATH=/usr/lib/python3/dist-packages
fi
export ANSIBLE_ROLES_PATH="$ansible_dir/roles"
export PATH="$venv/bin:$PATH"

cd "$ansible_dir"
status=0
if [ "$which_linter" != yamllint ]; then
  ansible-lint --nocolor -c .ansible-lint || status=1
fi
if [ "$which_linter" != ansible-lint ]; then
  yamllint --strict -c .yamllint . || status=1
fi
rm -rf "$ansible_dir/.ansible"
exit "$status"
