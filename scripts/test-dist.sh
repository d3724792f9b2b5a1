#!/usr/bin/env bash
# The release archive of this machine, made by scripts/dist.sh from the
# release build, as a user downloads it: its files, its checksum, the
# completions and manual pages inside, and scripts/install.sh installing it
# (from a file:// address instead of the releases page). Run by
# scripts/test.sh after its release build.
set -euo pipefail
cd "$(dirname "$0")/.."
pass=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
fail() { echo "not ok - $*" >&2; echo "dist: $pass passed, 1 failed"; exit 1; }

target=$(rustc -vV | sed -n 's/^host: //p')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/dist.sh "$target" target/release/scholion "$work/dist" >/dev/null || fail "scripts/dist.sh"
scripts/dist.sh --installers "$work/dist" || fail "scripts/dist.sh --installers"
archive="scholion-$target.tar.gz"

listing=$(tar -tzf "$work/dist/$archive" | sort | tr '\n' ' ')
expected="scholion-$target/ scholion-$target/LICENSE-APACHE scholion-$target/LICENSE-MIT scholion-$target/README.md scholion-$target/completions/ scholion-$target/completions/_scholion scholion-$target/completions/_scholion.ps1 scholion-$target/completions/scholion.bash scholion-$target/completions/scholion.fish scholion-$target/man/ scholion-$target/man/scholion-build.1 scholion-$target/man/scholion-check.1 scholion-$target/man/scholion-completions.1 scholion-$target/man/scholion-import.1 scholion-$target/man/scholion-man.1 scholion-$target/man/scholion-new.1 scholion-$target/man/scholion-serve.1 scholion-$target/man/scholion.1 scholion-$target/scholion "
[ "$listing" = "$expected" ] || fail "the archive holds: $listing"
ok "$archive holds the program, README, licences, completions and manual pages"

(cd "$work/dist" && sha256sum -c --quiet "$archive.sha256") || fail "the checksum file does not match"
ok "$archive.sha256 matches"

mkdir "$work/x" && tar -xzf "$work/dist/$archive" -C "$work/x"
x="$work/x/scholion-$target"
cmp -s "$x/scholion" target/release/scholion || fail "the archive's program is not the release build"
bash -n "$x/completions/scholion.bash" || fail "the bash completions are not valid bash"
grep -q "complete -c scholion" "$x/completions/scholion.fish" || fail "fish completions"
grep -q "#compdef scholion" "$x/completions/_scholion" || fail "zsh completions"
grep -q "Register-ArgumentCompleter" "$x/completions/_scholion.ps1" || fail "powershell completions"
grep -q '^\.TH scholion-build 1' "$x/man/scholion-build.1" || fail "the manual page of build"
if command -v man >/dev/null 2>&1; then
  man -l "$x/man/scholion.1" 2>/dev/null | grep -q "completions" || fail "man cannot show scholion.1"
fi
ok "the completions are those of each shell and the manual pages are roff"

grep -q "@SCHOLION_REPOSITORY@" "$work/dist/install.sh" "$work/dist/install.ps1" && fail "an installer still holds the placeholder"
repository=$(sed -n 's/^repository = "\(.*\)"$/\1/p' Cargo.toml)
grep -q "$repository/releases/latest/download" "$work/dist/install.sh" || fail "install.sh does not download from $repository"
grep -q "$repository/releases/latest/download" "$work/dist/install.ps1" || fail "install.ps1 does not download from $repository"
ok "the installers download from $repository"

out=$(SCHOLION_DOWNLOAD_URL="file://$work/dist" SCHOLION_TARGET="$target" SCHOLION_INSTALL_DIR="$work/bin" \
  PATH="/usr/bin:/bin" sh "$work/dist/install.sh" 2>&1) || { echo "$out" >&2; fail "install.sh"; }
[ "$("$work/bin/scholion" --version)" = "$(target/release/scholion --version)" ] || fail "install.sh installed another program"
echo "$out" | grep -q "is not on your PATH" || fail "install.sh does not say how to put $work/bin on the PATH: $out"
ok "install.sh installs scholion into SCHOLION_INSTALL_DIR and says how to reach it"

# A damaged download is refused, and leaves the installed program alone.
cp "$work/dist/$archive" "$work/good.tar.gz"
printf 'x' >>"$work/dist/$archive"
if out=$(SCHOLION_DOWNLOAD_URL="file://$work/dist" SCHOLION_TARGET="$target" SCHOLION_INSTALL_DIR="$work/bin" \
  sh "$work/dist/install.sh" 2>&1); then
  fail "install.sh installed a damaged archive"
fi
echo "$out" | grep -q "SHA-256 checksum does not match" || fail "install.sh's message: $out"
"$work/bin/scholion" --version >/dev/null || fail "the installed program was harmed"
ok "install.sh refuses an archive whose checksum does not match"
echo "dist: $pass passed, 0 failed"
