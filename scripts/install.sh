#!/bin/sh
# Installs the `scholion` program on Linux or macOS from the project's
# releases, no Rust needed:
#
#   curl -LsSf @SCHOLION_REPOSITORY@/releases/latest/download/install.sh | sh
#
# It downloads the archive for this machine, checks it against its SHA-256
# checksum, and puts `scholion` into ~/.local/bin (or SCHOLION_INSTALL_DIR).
# SCHOLION_VERSION=0.1.0 installs that version instead of the latest. The
# release workflow fills in the address above (scripts/dist.sh --installers).
set -eu

repository=${SCHOLION_REPOSITORY:-@SCHOLION_REPOSITORY@}
dest=${SCHOLION_INSTALL_DIR:-$HOME/.local/bin}

fail() { echo "error: $*" >&2; exit 1; }

case "$repository" in @*) fail "this is the installer's source: use the install.sh attached to a release" ;; esac

if [ -z "${SCHOLION_TARGET:-}" ]; then
  case "$(uname -s)" in
    Linux) os=unknown-linux-musl ;;
    Darwin) os=apple-darwin ;;
    *) fail "no release for $(uname -s): on Windows use install.ps1, elsewhere pip install scholion-reader" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no release for $(uname -m) processors: try pip install scholion-reader" ;;
  esac
  SCHOLION_TARGET="$arch-$os"
fi

if [ -n "${SCHOLION_DOWNLOAD_URL:-}" ]; then
  base=$SCHOLION_DOWNLOAD_URL
elif [ -n "${SCHOLION_VERSION:-}" ]; then
  base="$repository/releases/download/v$SCHOLION_VERSION"
else
  base="$repository/releases/latest/download"
fi

download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL "$1" -o "$2" || fail "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q "$1" -O "$2" || fail "could not download $1"
  else
    fail "neither curl nor wget is installed"
  fi
}

name="scholion-$SCHOLION_TARGET"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "Downloading $base/$name.tar.gz"
download "$base/$name.tar.gz" "$tmp/$name.tar.gz"
download "$base/$name.tar.gz.sha256" "$tmp/$name.tar.gz.sha256"
expected=$(cut -d ' ' -f 1 <"$tmp/$name.tar.gz.sha256")
if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$tmp/$name.tar.gz" | cut -d ' ' -f 1)
else
  actual=$(shasum -a 256 "$tmp/$name.tar.gz" | cut -d ' ' -f 1)
fi
[ "$expected" = "$actual" ] || fail "the download is damaged (its SHA-256 checksum does not match): try again"
tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
mkdir -p "$dest"
cp "$tmp/$name/scholion" "$dest/scholion.new"
chmod 755 "$dest/scholion.new"
mv "$dest/scholion.new" "$dest/scholion"
echo "Installed $("$dest/scholion" --version) into $dest"
case ":$PATH:" in
  *":$dest:"*) ;;
  *) echo "$dest is not on your PATH: add the line  export PATH=\"$dest:\$PATH\"  to ~/.profile (or ~/.zshrc on macOS), then open a new terminal." ;;
esac
