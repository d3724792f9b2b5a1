#!/usr/bin/env bash
# Edit-to-reload latency of `scholion serve`: the time from writing a file to
# the moment the server's event stream announces the reload (the open page
# then fetches the new page). Not part of the test suite.
#
#   scripts/bench-serve.sh [default|synthetic|SITE_DIR] [ROUNDS]
#
# - default:   a copy of the repository's own site (2 texts)
# - synthetic: 1,000 texts, 500 copies of each default text with its notes
#              and cross-links under new slugs (about 60,000 notes)
# - SITE_DIR:  a copy of any site folder; the edit then goes to the first
#              annotation file with a note body in block form (`body: |`)
#
# Three kinds of edit are measured: a note of one text (annotations), the
# running text of one text, and a static file (which needs no compile).
# Each edit waits for the one before to be wholly done, search index
# included (which the server makes after the pages have reloaded).
# Needs bash, curl, GNU date and sed (Linux), and a release build
# (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
# SCHOLION_BIN: another binary to measure (an older build, to compare).
bin=${SCHOLION_BIN:-$repo/target/release/scholion}
kind=${1:-default}
rounds=${2:-10}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }

work=$(mktemp -d)
server=""
stream=""
cleanup() {
  [ -n "$stream" ] && kill "$stream" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

site=$work/site
mkdir -p "$site"
case "$kind" in
  default)
    cp -r "$repo/content" "$site/"
    ;;
  synthetic)
    mkdir -p "$site/content/texts" "$site/content/annotations"
    cp -r "$repo/content/site.yaml" "$repo/content/glossary.yaml" "$repo/content/pages" "$site/content/"
    # The bibliography the notes cite, and the facsimiles the pages show.
    for f in "$repo"/content/bibliography.* "$repo/content/facsimiles"; do
      [ -e "$f" ] && cp -r "$f" "$site/content/"
    done
    for i in $(seq -w 1 500); do
      for slug in 1957-moscow-declaration 1998-cpsu-appeal; do
        for f in "texts/$slug.md" "annotations/$slug.yaml"; do
          sed -e "s/1957-moscow-declaration/1957-moscow-declaration-$i/g; s/1998-cpsu-appeal/1998-cpsu-appeal-$i/g" \
            "$repo/content/$f" > "$site/content/${f/$slug/$slug-$i}"
        done
      done
    done
    ;;
  *)
    cp -r "$kind/." "$site/"
    rm -rf "$site/public"
    ;;
esac

# The files to edit: one text and its annotations.
ann=$(grep -l '^ *body: [|>]' "$site"/content/annotations/*.yaml | sort | tail -n 1)
slug=$(basename "$ann" .yaml)
text=$site/content/texts/$slug.md
page="texts/$slug.html"
# A marker at the start of the first note body (a block scalar), rewritten
# by every note edit.
awk 'done != 1 && prev ~ /^ *body: [|>]-?$/ { match($0, /^ */); $0 = substr($0, 1, RLENGTH) "BENCH0 " substr($0, RLENGTH + 1); done = 1 } { print; prev = $0 }' \
  "$ann" >"$work/ann" && cp "$work/ann" "$ann"
grep -q BENCH0 "$ann" || { echo "no note body in block form in $ann" >&2; exit 2; }
echo "site: $kind ($(ls "$site/content/texts" | wc -l) texts); editing $slug"

log=$work/serve.log
"$bin" serve --root "$site" --port 0 2>"$log" &
server=$!
for _ in $(seq 1 600); do
  grep -q 'Serving at' "$log" && break
  sleep 0.1
done
port=$(grep -o 'Serving at http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$')
grep 'Built' "$log" || { echo "the first build failed:" >&2; head -n 40 "$log" >&2; exit 2; }
events=$work/events
curl -sN "http://127.0.0.1:$port/__scholion/events?page=$page" >"$events" &
stream=$!
sleep 0.5

now_ms() { date +%s%3N; }

# Runs an edit, waits for the next reload event, prints the milliseconds.
measure() {
  local before t0 t1
  before=$(grep -c '^event: reload' "$events" || true)
  t0=$(now_ms)
  "$@"
  while [ "$(grep -c '^event: reload' "$events" || true)" -le "$before" ]; do
    sleep 0.002
  done
  t1=$(now_ms)
  echo $((t1 - t0))
}

summary() {
  sort -n | awk -v what="$1" '{ v[NR] = $1; s += $1 } END {
    printf "%-28s n=%d  min %d ms  median %d ms  mean %d ms  max %d ms\n", what, NR, v[1], v[int((NR + 1) / 2)], s / NR, v[NR] }'
}

edit_note() { sed -i "s/BENCH[0-9]*/BENCH$RANDOM$RANDOM/" "$ann"; }
edit_text() { printf '\nBench paragraph %s.\n' "$RANDOM$RANDOM" >>"$text"; }
mkdir -p "$site/static"
edit_static() { printf 'p{--bench:%s}\n' "$RANDOM$RANDOM" >"$site/static/bench.css"; }

# Waits until the server has also made the site-wide files (search index,
# annotations.jsonld) of every content edit, so each edit is timed alone.
settle() {
  for _ in $(seq 1 600); do
    [ "$(grep -c 'rebuilt in' "$log" || true)" -le "$(grep -c 'site-wide files updated' "$log" || true)" ] && return
    sleep 0.05
  done
}

for what in note text static; do
  for _ in $(seq 1 "$rounds"); do
    measure "edit_$what"
    settle
    # A random pause, so edits fall at every point of the 300 ms polling cycle.
    sleep "0.$(printf '%03d' $((RANDOM % 300 + 400)))"
  done | summary "$what edit -> reload event"
done

grep -o 'rebuilt in [0-9]* ms' "$log" | grep -o '[0-9]*' | summary "of which the server's part"
grep -o 'updated in [0-9]* ms more' "$log" | grep -o '[0-9]*' | summary "then search and jsonld, more"
echo "what the last note and text edits did:"
grep 'rebuilt' "$log" | tail -n 2 | sed 's/^/  /'
rss=$(ps -o rss= -p "$server" 2>/dev/null || echo 0)
echo "server memory (RSS): $((rss / 1024)) MiB"
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
echo "server peak memory (VmHWM): $((hwm / 1024)) MiB"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
