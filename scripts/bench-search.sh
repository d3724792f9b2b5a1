#!/usr/bin/env bash
# Search, Scholion against Pagefind on the same built pages (not part of the
# test suite or CI; the figures are in docs/search.md):
#
#   scripts/bench-search.sh [SITE ...]     default: default 1000
#   scripts/bench.sh --pagefind            the same, from the benchmark
#
# SITE is `default` (this repository's own content/) or a number N: a
# synthetic collection of N texts (examples/gen_corpus.rs, seed 1957, kept in
# target/bench-search/cN so a rerun skips generating it). For each: the site
# built by `scholion build` (wall time, peak memory); the Markdown's bytes
# (every .md under content/); Scholion's index (search/: files, bytes raw and
# as gzip -6 sends them, and the ratio to the Markdown); Pagefind run with
# `pagefind --site` on a hard-linked copy of the same pages (time, its index:
# fragment/, index/, filter/ and the metadata, apart from its engine and
# UI); then, in headless Chromium over http://127.0.0.1 (Pagefind does not
# work from file://), the test queries of scripts/bench-search.js in each
# engine's own box: bytes fetched pasted and typed at 120 ms a key, time to
# the first results, and whether the first result is the right place (the
# paragraph, note, heading or entry) and the right page. One JSON line per
# measurement goes to target/bench-search/results.jsonl, then a table per
# site.
#
# Pagefind is the PyPI package pagefind-bin (which ships the binary),
# installed on first use into target/pagefind-venv, or the binary in
# $PAGEFIND. Needs node, Chromium (/usr/bin/chromium or CHROMIUM=) and
# tests/browser/node_modules (npm ci there), GNU time. 1,000 texts take
# about 3 GB of disk and 5 minutes on 2 cores; 10,000 ten times that.
set -euo pipefail
cd "$(dirname "$0")/.."
sites=("$@")
[ ${#sites[@]} -gt 0 ] || sites=(default 1000)
PAGEFIND_VERSION=1.5.2
work=target/bench-search

cargo build --release --locked --quiet --bin scholion --example gen_corpus
[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund --silent --ignore-scripts)
if [ -n "${PAGEFIND:-}" ]; then
  pf=$PAGEFIND
else
  venv=target/pagefind-venv
  if ! ls "$venv"/lib/python3*/site-packages/pagefind_bin/pagefind >/dev/null 2>&1; then
    echo "Installing Pagefind $PAGEFIND_VERSION (pagefind-bin) into $venv ..." >&2
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "pagefind-bin==$PAGEFIND_VERSION" >&2
  fi
  pf=$(ls "$venv"/lib/python3*/site-packages/pagefind_bin/pagefind | head -n 1)
fi
pf_version=$("$pf" --version | sed 's/^pagefind //')

# Files, bytes and bytes as gzip -6 sends them of the files named (folders
# are walked).
bytes() {
  python3 - "$@" <<'PY'
import os, sys, zlib
raw = gz = n = 0
def add(p):
    global raw, gz, n
    b = open(p, 'rb').read()
    n += 1; raw += len(b); gz += min(len(b), len(zlib.compress(b, 6)) + 18)
for p in sys.argv[1:]:
    if os.path.isdir(p):
        for d, _, files in os.walk(p):
            for f in files:
                add(os.path.join(d, f))
    elif os.path.exists(p):
        add(p)
print(f"{n} {raw} {gz}")
PY
}

mkdir -p "$work"
results=$work/results.jsonl
: > "$results"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d); load $(cut -d' ' -f1-3 /proc/loadavg); Chromium $(${CHROMIUM:-/usr/bin/chromium} --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1); Pagefind $pf_version"
echo "machine: $machine" | tee -a "$work/machine.txt"
for s in "${sites[@]}"; do
  if [ "$s" = default ]; then
    root=. out=$work/default queries=default
  else
    root=$work/c$s out=$work/c$s queries=corpus
    [ -f "$root/content/site.yaml" ] || ./target/release/examples/gen_corpus "$s" "$root" >&2
  fi
  rm -rf "$out/public" "$out/pf"
  mkdir -p "$out"
  build=$( { /usr/bin/time -f "%e %M" ./target/release/scholion build --root "$root" --out "$out/public" --quiet; } 2>&1 | tail -1)
  md=$(find "$root/content" -name '*.md' -print0 | xargs -0 cat | wc -c)
  read -r ifiles iraw igz < <(bytes "$out/public/search")
  read -r _ eraw egz < <(bytes "$out/public/search-engine.js")
  cp -al "$out/public" "$out/pf"
  rm -rf "$out/pf/search" "$out/pf/search.js" "$out/pf/search-engine.js"
  pft=$( { /usr/bin/time -f "%e %M" "$pf" --site "$out/pf" --quiet; } 2>&1 | tail -1)
  d=$out/pf/pagefind
  read -r pfiles praw pgz < <(bytes "$d/fragment" "$d/index" "$d/filter" "$d"/pagefind.*.pf_meta "$d/pagefind-entry.json")
  read -r _ peraw pegz < <(bytes "$d/pagefind.js" "$d"/wasm.*.pagefind "$d/pagefind-worker.js")
  echo "{\"site\":\"$s\",\"build\":\"$build\",\"markdown\":$md,\"index_files\":$ifiles,\"index_raw\":$iraw,\"index_gzip\":$igz,\"engine_raw\":$eraw,\"engine_gzip\":$egz,\"pagefind\":\"$pft\",\"pagefind_files\":$pfiles,\"pagefind_raw\":$praw,\"pagefind_gzip\":$pgz,\"pagefind_engine_raw\":$peraw,\"pagefind_engine_gzip\":$pegz}" | tee -a "$results"
  node scripts/bench-search.js "$out/public" "$out/pf" "$queries" | sed "s/^{/{\"site\":\"$s\",/" | tee -a "$results"
done

python3 - "$results" "$pf_version" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
version = sys.argv[2]
kb = lambda b: f"{b / 1000:,.0f} KB" if b < 10_000_000 else f"{b / 1e6:,.1f} MB"
med = lambda xs: statistics.median(xs) if xs else 0
for b in [r for r in rows if 'index_raw' in r]:
    s = b['site']
    q = lambda engine, what: [r for r in rows if r['site'] == s and 'what' in r and r['engine'] == engine and r['what'] == what]
    md = b['markdown']
    cells = {}
    for e in ('scholion', 'pagefind'):
        pasted, typed, times = q(e, 'pasted'), q(e, 'typed'), q(e, 'time')
        ratio = [t['raw'] / p['raw'] for p, t in zip(pasted, typed)]
        cells[e] = [
            f"{med([p['raw'] for p in pasted]):,.0f} ({med([p['gzip'] for p in pasted]):,.0f}), max {max(p['raw'] for p in pasted):,}",
            f"{med([t['raw'] for t in typed]):,.0f} ({med([t['gzip'] for t in typed]):,.0f}), max {max(t['raw'] for t in typed):,}",
            f"{med(ratio):.2f}×, max {max(ratio):.2f}×",
            f"{med([p['files'] for p in pasted]):.0f}",
            f"{med([t['pastedMs'] for t in times]):.0f} ms, max {max(t['pastedMs'] for t in times):.0f}",
            f"{med([t['engineMs'] for t in times]):.0f} ms, max {max(t['engineMs'] for t in times):.0f}",
            f"{sum(p['right'] for p in pasted)} of {len(pasted)}",
            f"{sum(p['rightPage'] for p in pasted)} of {len(pasted)}",
        ]
    secs = b['build'].split()[0]
    psecs = b['pagefind'].split()[0]
    print(f"\n{s}: {md:,} bytes of Markdown; scholion build {secs} s, pagefind --site {psecs} s (after it)\n")
    print(f"| | Scholion | Pagefind {version} |")
    print("|---|---|---|")
    print(f"| index bytes (to the Markdown) | {b['index_raw']:,} ({b['index_raw'] / md:.2f}×) | {b['pagefind_raw']:,} ({b['pagefind_raw'] / md:.2f}×) |")
    print(f"| … gzipped | {b['index_gzip']:,} ({b['index_gzip'] / md:.2f}×) | {b['pagefind_gzip']:,} ({b['pagefind_gzip'] / md:.2f}×) |")
    print(f"| index files | {b['index_files']:,} | {b['pagefind_files']:,} |")
    print(f"| engine (gzipped) | {b['engine_raw']:,} ({b['engine_gzip']:,}) | {b['pagefind_engine_raw']:,} ({b['pagefind_engine_gzip']:,}) |")
    labels = ["bytes per pasted query, median (gzip)", "bytes per typed query, median (gzip)", "typed to pasted", "files per pasted query, median", "time to first results, pasted, median", "… the engine alone", "top-1 right place", "top-1 right page"]
    for i, label in enumerate(labels):
        print(f"| {label} | {cells['scholion'][i]} | {cells['pagefind'][i]} |")
    print()
    print("| query | Scholion first | Pagefind first (its first sub-result) |")
    print("|---|---|---|")
    for p, f in zip(q('scholion', 'pasted'), q('pagefind', 'pasted')):
        mark = lambda r: ('✓ ' if r['right'] else ('page ' if r['rightPage'] else '✗ ')) + f"`{r['first']}`"
        print(f"| {p['q']} | {mark(p)} | {mark(f)} |")
PY
