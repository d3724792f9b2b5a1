#!/usr/bin/env bash
# The PyPI edition as an editor gets it: builds the scholion-reader wheel for
# this machine with maturin from the release build already in target/ (cargo
# finds everything fresh, so Scholion is not compiled a second time), installs
# it into a fresh virtual environment and runs `scholion new`, `check` and
# `build` from there. Run by scripts/test.sh after its release build.
# maturin: target/tools/bin/maturin (what .ci/run installs) or one on PATH;
# without either it is skipped, except in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
pass=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
fail() { echo "not ok - $*" >&2; echo "wheel: $pass passed, 1 failed"; exit 1; }

maturin=target/tools/bin/maturin
[ -x "$maturin" ] || maturin=$(command -v maturin || true)
if [ -z "$maturin" ]; then
  hint="python3 -m venv target/tools && target/tools/bin/pip install 'maturin>=1.7,<2'"
  [ "${CI:-}" = true ] && fail "maturin not found: $hint"
  echo "wheel: skipped, maturin not found (.ci/run installs it: $hint)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
before=$(stat -c %Y target/release/scholion)
"$maturin" build --release --locked --quiet --out "$work/wheels" >"$work/maturin.log" 2>&1 \
  || { cat "$work/maturin.log" >&2; fail "maturin build"; }
[ "$(stat -c %Y target/release/scholion)" = "$before" ] \
  || fail "maturin rebuilt target/release/scholion instead of reusing it"
wheel=$(ls "$work"/wheels/scholion_reader-*.whl)
ok "wheel built from the release binary: $(basename "$wheel") ($(stat -c %s "$wheel") bytes)"

# The wheel holds the program, its licences and metadata, and no Python code.
python3 - "$wheel" <<'PY' || fail "wheel contents"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
scripts = [n for n in names if ".data/scripts/" in n]
assert [s.rsplit("/", 1)[1] for s in scripts] == ["scholion"], scripts
assert not [n for n in names if n.endswith(".py")], names
assert any(n.endswith("licenses/LICENSE-MIT") for n in names), names
PY
ok "the wheel carries the scholion program and its licences, no Python code"

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "$wheel" || fail "pip install"
scholion="$work/venv/bin/scholion"
[ -x "$scholion" ] || fail "pip install put no scholion into the environment"
[ "$("$scholion" --version)" = "$(target/release/scholion --version)" ] \
  || fail "the installed scholion is not the release build"
ok "pip install gives the command scholion: $("$scholion" --version)"

cd "$work"
"$scholion" new my-reader 2>new.log || { cat new.log >&2; fail "scholion new"; }
grep -q "git init" new.log || fail "scholion new does not say how to make a git repository"
ok "scholion new my-reader"
"$scholion" check --root my-reader >check.log 2>&1 || { cat check.log >&2; fail "scholion check"; }
grep -q "0 error(s), 0 warning(s)" check.log || { cat check.log >&2; fail "check reports problems"; }
ok "scholion check --root my-reader: $(tail -1 check.log)"
"$scholion" build --root my-reader 2>build.log || { cat build.log >&2; fail "scholion build"; }
for f in index.html texts/gettysburg-address.html glossary.html about.html scholion.css search.js; do
  [ -s "my-reader/public/$f" ] || fail "the built site lacks $f"
done
grep -q "Four score and seven years ago" my-reader/public/texts/gettysburg-address.html \
  || fail "the reader page lacks the text"
grep -q "Open .*my-reader/public/index.html in a browser" build.log || fail "build does not say how to open the site"
ok "scholion build --root my-reader publishes the reader into my-reader/public"
echo "wheel: $pass passed, 0 failed"
