#!/usr/bin/env bash
# The browser suite: builds a fresh copy of the default site with the release
# binary (which scripts/test.sh has just built) into a temporary folder and
# drives Debian's headless Chromium against it, over http://127.0.0.1 and
# from file://; also builds the fixture site with tables and code blocks
# (tests/fixtures/code-tables) and the one with a bibliography
# (tests/fixtures/apparatus), which validate.test.js checks with the W3C Nu
# checker (vnu.jar, run with the machine's Java) and axe-core, and
# bibliography.test.js drives. Without Chromium it says so on one line and skips, except
# under CI=true, where a missing browser is a failure. Never downloads a
# browser.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "browser tests: no Chromium at $chromium (CI=true requires it: apt-get install chromium)" >&2
    exit 1
  fi
  echo "browser tests skipped: no Chromium at $chromium (apt-get install chromium to run them)"
  exit 0
fi
if ! command -v node >/dev/null 2>&1; then
  echo "browser tests: node is required" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ] || [ ! -f "$here/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  # --ignore-scripts: vnu-jar's install script would fetch a Java of its own.
  (cd "$here" && npm ci --no-audit --no-fund --silent --ignore-scripts)
fi
if ! command -v java >/dev/null 2>&1 && [ "${CI:-}" = "true" ]; then
  echo "browser tests: no java for the W3C Nu checker (CI=true requires it: apt-get install default-jre-headless)" >&2
  exit 1
fi
bin="$repo/target/release/scholion"
if [ ! -x "$bin" ]; then
  echo "browser tests: $bin is missing; run cargo build --release first" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bin" build --root "$repo" --out "$tmp/site" --quiet
"$bin" build --root "$repo/tests/fixtures/code-tables" --out "$tmp/fixture" --quiet
"$bin" build --root "$repo/tests/fixtures/apparatus" --out "$tmp/apparatus" --quiet
cd "$here"
SCHOLION_SITE="$tmp/site" SCHOLION_FIXTURE="$tmp/fixture" SCHOLION_APPARATUS="$tmp/apparatus" CHROMIUM="$chromium" node --test --test-reporter=spec ./*.test.js
