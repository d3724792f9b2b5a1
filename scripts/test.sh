#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, then the browser
# suite (headless Chromium) when tests/browser exists, then what is shipped:
# the release archive and its installer, and the PyPI wheel, all made from
# the one release build. Everything uses the release profile, the one
# profile this project compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --locked
cargo build --release --locked
if [ -f tests/browser/package.json ]; then
  tests/browser/run.sh
fi
scripts/test-dist.sh
scripts/test-wheel.sh
