#!/usr/bin/env bash
# Search at scale, Scholion against Pagefind on the same pages (not part of
# the test suite; the figures are in docs/search.md):
#
#   scripts/bench-search.sh [N ...]        default: 100 1000 10000
#
# For each N: a synthetic collection of N texts (examples/gen_corpus.rs),
# built with `scholion build` (wall time and peak memory); the search index
# alone (examples/search_index.rs: build time, documents, files, bytes, and
# the bytes gzip -6 makes of them); Pagefind run on a hard-linked copy of the
# built pages (time, bytes); then, in headless Chromium, two one-word
# queries on each (scripts/bench-search.js: time to the first 10 results and
# bytes fetched, in fresh contexts, best of three). A rare word (a surname
# of the synthetic glossary) and a common one (a content word).
#
# Needs a release build toolchain, node, Chromium (/usr/bin/chromium or
# CHROMIUM=) and tests/browser/node_modules (npm ci there). Pagefind comes
# from the npm registry into target/pagefind (the package ships its binary).
# Work folders: target/bench-search/c<N> (kept, so a rerun skips generation;
# delete them to start afresh). 10,000 texts take about 4 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
PAGEFIND_VERSION=1.6.0
RARE=halasz
COMMON=treaty

cargo build --release --locked --bin scholion --example gen_corpus --example search_index
[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund --silent)
pf=target/pagefind/node_modules/.bin/pagefind
if [ ! -x "$pf" ] || [ "$("$pf" --version)" != "pagefind $PAGEFIND_VERSION" ]; then
  mkdir -p target/pagefind
  (cd target/pagefind && { [ -f package.json ] || echo '{"name":"pagefind-bench","private":true}' > package.json; } \
    && npm install --no-audit --no-fund --silent "pagefind@$PAGEFIND_VERSION")
fi

# Sum of sizes, raw and as gzip -6 sends them, of the files under $1.
bytes() {
  python3 - "$1" <<'PY'
import os, sys, zlib
raw = gz = n = 0
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        b = open(os.path.join(d, f), 'rb').read()
        n += 1; raw += len(b); gz += min(len(b), len(zlib.compress(b, 6)) + 18)
print(f"{n} {raw} {gz}")
PY
}

results=target/bench-search/results.jsonl
mkdir -p target/bench-search
: > "$results"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d); load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
  dir=target/bench-search/c$n
  if [ ! -f "$dir/content/site.yaml" ]; then
    ./target/release/examples/gen_corpus "$n" "$dir" >&2
  fi
  rm -rf "$dir/public" "$dir/pf"
  build=$( { /usr/bin/time -f "%e %M" ./target/release/scholion build --root "$dir" --out "$dir/public" --quiet; } 2>&1 | tail -1)
  index=$(./target/release/examples/search_index "$dir")
  read -r ifiles iraw igz < <(bytes "$dir/public/search")
  cp -al "$dir/public" "$dir/pf"
  rm -rf "$dir/pf/search" "$dir/pf/search.js"
  pft=$( { /usr/bin/time -f "%e %M" "$pf" --site "$dir/pf" --quiet; } 2>&1 | tail -1)
  read -r pfiles praw pgz < <(bytes "$dir/pf/pagefind")
  echo "{\"n\":$n,\"build\":\"$build\",\"index\":$index,\"index_files\":$ifiles,\"index_raw\":$iraw,\"index_gzip\":$igz,\"pagefind\":\"$pft\",\"pagefind_files\":$pfiles,\"pagefind_raw\":$praw,\"pagefind_gzip\":$pgz}" | tee -a "$results"
  node scripts/bench-search.js "$dir/public" "$dir/pf" "$RARE" "$COMMON" | sed "s/^{/{\"n\":$n,/" | tee -a "$results"
done

# One table: best of three per engine, size and word.
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
builds = {r['n']: r for r in rows if 'index' in r}
best = {}
for r in rows:
    if 'engine' in r:
        k = (r['n'], r['engine'], r['word'])
        if k not in best or r['ms'] < best[k]['ms']:
            best[k] = r
kb = lambda b: f"{b / 1024:,.0f} KB" if b < 10 * 1024 * 1024 else f"{b / 1048576:,.0f} MB"
print()
print("| texts | build (s) | index build (s) | index files | index bytes (gzip) | Pagefind (s) | Pagefind files | Pagefind bytes |")
print("|---|---|---|---|---|---|---|---|")
for n, b in sorted(builds.items()):
    secs, _ = b['build'].split()
    psecs, _ = b['pagefind'].split()
    print(f"| {n:,} | {float(secs):.1f} | {b['index']['seconds']:.1f} | {b['index_files']:,} | {kb(b['index_raw'])} ({kb(b['index_gzip'])}) | {float(psecs):.1f} | {b['pagefind_files']:,} | {kb(b['pagefind_raw'])} |")
print()
print("| texts | word | engine | first 10 results (ms) | files fetched | bytes fetched (gzip) | found |")
print("|---|---|---|---|---|---|---|")
for (n, engine, word), r in sorted(best.items()):
    print(f"| {n:,} | {word} | {engine} | {r['ms']:.0f} | {r['files']} | {kb(r['raw'])} ({kb(r['gzip'])}) | {r['count']} |")
PY
