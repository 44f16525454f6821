#!/usr/bin/env bash
# Builds the pinned OpenTofu CLI from its Go module into a cache outside the repo, and reuses it.
# Nothing is downloaded from release pages: only the Go module proxy is used.
# Prints the path of the binary on stdout (and nothing else there).
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
CACHE_DIR="${IAMSESSION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iamsession}"
OUT="$CACHE_DIR/tofu-$TOFU_VERSION/tofu"

if [ -x "$OUT" ] && "$OUT" version >/dev/null 2>&1; then
  echo "$OUT"
  exit 0
fi

command -v go >/dev/null || { echo "build-tofu: Go is needed to build OpenTofu" >&2; exit 1; }

# Where the module's go.mod lives, so its replace directives can be repeated in the wrapper.
modjson=$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION")
gomod=$(printf '%s' "$modjson" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).GoMod))')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
go mod init iamsession.local/tofu-build >/dev/null 2>&1
go mod edit -require="github.com/opentofu/opentofu@$TOFU_VERSION"
# Repeat the module's own replace directives: a dependency's replaces are ignored by Go otherwise.
go mod edit -json "$gomod" | node -e '
  let s=""; process.stdin.on("data",d=>s+=d).on("end",()=>{
    for (const r of JSON.parse(s).Replace ?? []) {
      const from = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
      const to = r.New.Version ? `${r.New.Path}@${r.New.Version}` : r.New.Path;
      console.log(`-replace=${from}=${to}`);
    }
  })' | while read -r flag; do go mod edit "$flag"; done
goversion=$(go mod edit -json "$gomod" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Go))')
go mod edit -go="$goversion"

mkdir -p "$(dirname "$OUT")"
echo "build-tofu: building OpenTofu $TOFU_VERSION into $OUT (a few minutes the first time)" >&2
GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$OUT.tmp" github.com/opentofu/opentofu/cmd/tofu >&2
mv "$OUT.tmp" "$OUT"
echo "$OUT"
