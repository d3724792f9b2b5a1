#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, then the browser
# suite (headless Chromium) when tests/browser exists. Both use the release
# profile, the one profile this project compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --locked
if [ -f tests/browser/package.json ]; then
  cargo build --release --locked
  tests/browser/run.sh
fi
