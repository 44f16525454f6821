#!/usr/bin/env bash
# Creates (once per requirements file content) the Python virtual environment the CDKTF Python e2e test runs in,
# under ~/.cache/iamsession/, and prints its directory. Idempotent and quiet: CI (.ci/run) and the test call it.
set -euo pipefail
cd "$(dirname "$0")/.."
req=constructs/python/requirements.txt
hash="$(sha256sum "$req" | cut -c1-12)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/iamsession/python-cdktf-$hash"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  touch "$venv/.complete"
fi
echo "$venv"
