#!/usr/bin/env bash
# Installs the pinned schemathesis (the outside API fuzzer of test/fuzz/) from PyPI into a virtualenv in a cache
# outside the repo, and reuses it. Quiet; prints the path of the `schemathesis` executable on stdout (nothing else).
set -euo pipefail

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
CACHE_DIR="${IAMSESSION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iamsession}"
VENV="$CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
BIN="$VENV/bin/schemathesis"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "$BIN"
  exit 0
fi

PYTHON="${PYTHON:-$(command -v python3 || true)}"
[ -n "$PYTHON" ] || { echo "install-schemathesis: python3 (>= 3.10, with venv) is needed" >&2; exit 1; }

rm -rf "$VENV"
mkdir -p "$CACHE_DIR"
# A half-built venv must never look installed: build beside it, then move it into place.
tmp="$VENV.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" -m venv "$tmp" >&2
"$tmp/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "schemathesis==$SCHEMATHESIS_VERSION" >&2
mv "$tmp" "$VENV"
# The venv's scripts name their interpreter by absolute path: rewrite it for the final place.
sed -i "1s|^#!.*python.*$|#!$VENV/bin/python|" "$VENV"/bin/schemathesis "$VENV"/bin/st 2>/dev/null || true
sed -i "s|$tmp|$VENV|g" "$VENV/bin/activate" "$VENV/pyvenv.cfg" 2>/dev/null || true
"$BIN" --version >/dev/null
echo "$BIN"
