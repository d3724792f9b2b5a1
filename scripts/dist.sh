#!/usr/bin/env bash
# The release archives, made from a built binary (the release workflow runs
# this on each platform; scripts/test-dist.sh on this machine):
#
#   scripts/dist.sh TARGET BINARY OUTDIR    scholion-TARGET.tar.gz (.zip for
#       Windows) and its .sha256, holding the program, README, licences, the
#       shell completions and the manual pages, made by the program itself
#   scripts/dist.sh --installers OUTDIR     install.sh and install.ps1 with the
#       project's address (`repository` in Cargo.toml) filled in
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi
}

if [ "${1:-}" = --installers ]; then
  out=$2
  mkdir -p "$out"
  repository=$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$root/Cargo.toml")
  [ -n "$repository" ] || { echo "error: no repository = \"…\" in Cargo.toml" >&2; exit 2; }
  for f in install.sh install.ps1; do
    sed "s|@SCHOLION_REPOSITORY@|$repository|g" "$root/scripts/$f" >"$out/$f"
  done
  chmod +x "$out/install.sh"
  exit 0
fi

[ $# -eq 3 ] || { echo "usage: scripts/dist.sh TARGET BINARY OUTDIR | --installers OUTDIR" >&2; exit 2; }
target=$1 binary=$2 out=$3
[ -x "$binary" ] || { echo "error: $binary is not an executable program" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
name="scholion-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/completions" "$dir/man"
exe=scholion
case "$target" in *windows*) exe=scholion.exe ;; esac
cp "$binary" "$dir/$exe"
cp "$root/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$dir/"
"$dir/$exe" completions bash >"$dir/completions/scholion.bash"
"$dir/$exe" completions zsh >"$dir/completions/_scholion"
"$dir/$exe" completions fish >"$dir/completions/scholion.fish"
"$dir/$exe" completions powershell >"$dir/completions/_scholion.ps1"
"$dir/$exe" man --dir "$dir/man" 2>/dev/null

cd "$stage"
case "$target" in
  *windows*)
    archive="$name.zip"
    if command -v 7z >/dev/null 2>&1; then 7z a -tzip -bd "$out/$archive" "$name" >/dev/null
    else zip -qr "$out/$archive" "$name"; fi ;;
  *)
    archive="$name.tar.gz"
    tar -czf "$out/$archive" "$name" ;;
esac
cd "$out"
sha256 "$archive" >"$archive.sha256"
echo "$out/$archive"
