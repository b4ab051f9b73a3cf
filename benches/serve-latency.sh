#!/usr/bin/env bash
# Edit-to-visible latency of `chapterhouse serve`: save a change to one
# event file, then poll that event's page until the change is served, and
# print the median over several edits.
#
#   benches/serve-latency.sh [SITE] [EDITS]
#
# SITE    a site folder (default: the example network in this repository).
#         It is copied to a temporary folder first; the original is never
#         touched. For a large network:
#           cargo run --release --example gen-network -- --chapters 200 --events-per-chapter 50 /tmp/net10k
#           benches/serve-latency.sh /tmp/net10k
# EDITS   number of edits to time (default 21)
#
# Environment:
#   CHAPTERHOUSE_BIN  the binary to measure (default: target/release/chapterhouse,
#                     built with `cargo build --release` when missing)
#   TODAY             passed as --today (default 2026-11-24)
#   SAVE              `rename` (default: write a temporary file and rename it over
#                     the event, as most editors save) or `inplace` (truncate and write)
#
# The clock starts just before the save and stops when an HTTP GET of the
# page returns the new text; a browser tab reloads after the same moment
# (the server tells it through its event stream), so add a few
# milliseconds for the browser's own reload. Before each edit the script
# waits until the server has finished the whole rebuild of the previous
# one, so every edit meets an idle server. Polling spawns one `curl` per
# try (a few ms each), which makes the figures slightly pessimistic.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
site=${1:-$repo}
edits=${2:-21}
today=${TODAY:-2026-11-24}
save=${SAVE:-rename}
bin=${CHAPTERHOUSE_BIN:-$repo/target/release/chapterhouse}

command -v curl >/dev/null || { echo "serve-latency: curl is needed" >&2; exit 2; }
if [ ! -x "$bin" ]; then
  (cd "$repo" && cargo build --release --quiet)
fi
[ -f "$site/site.yaml" ] || { echo "serve-latency: no site.yaml in $site" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/serve-latency.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Copy only what a build reads (the repository root also holds target/).
mkdir -p "$work/site"
cp "$site/site.yaml" "$work/site/"
for d in content static themes; do
  [ -d "$site/$d" ] && cp -R "$site/$d" "$work/site/"
done
events=$(find "$work/site/content/chapters" -path '*/events/*.md' | LC_ALL=C sort)
count=$(printf '%s\n' "$events" | wc -l | tr -d ' ')
[ "$count" -gt 0 ] || { echo "serve-latency: the site has no events" >&2; exit 2; }
# An event in the middle of the list.
file=$(printf '%s\n' "$events" | sed -n "$(( (count + 1) / 2 ))p")
rel=${file#"$work/site/content/"}
chapter=$(printf '%s' "$rel" | cut -d/ -f2)
stem=$(basename "$file" .md)

log="$work/serve.log"
"$bin" serve --root "$work/site" --port 0 --today "$today" >"$log" 2>&1 &
server=$!

now_ms() { date +%s%3N; }
builds() { grep -cE '^(built|.* changed: rebuilt)' "$log" || true; }
# Wait (at most $2 seconds) until the server log shows more than $1
# finished whole builds and then stays quiet for 300 ms.
wait_builds() {
  local deadline=$(( $(now_ms) + $2 * 1000 )) size quiet_since
  while [ "$(builds)" -le "$1" ]; do
    if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; echo "serve-latency: the server stopped" >&2; exit 1; fi
    [ "$(now_ms)" -lt "$deadline" ] || { cat "$log" >&2; echo "serve-latency: no build after $2 s" >&2; exit 1; }
    sleep 0.05
  done
  size=$(wc -c <"$log"); quiet_since=$(now_ms)
  while [ $(( $(now_ms) - quiet_since )) -lt 300 ]; do
    sleep 0.05
    if [ "$(wc -c <"$log")" -ne "$size" ]; then size=$(wc -c <"$log"); quiet_since=$(now_ms); fi
    [ "$(now_ms)" -lt "$deadline" ] || break
  done
}

wait_builds 0 600
url=$(grep -o 'serving at http://[^;]*/' "$log" | head -n 1 | sed 's/^serving at //')
[ -n "$url" ] || { sleep 0.5; url=$(grep -o 'serving at http://[^;]*/' "$log" | head -n 1 | sed 's/^serving at //'); }
page="${url}chapters/$chapter/events/$stem/"
curl -sf "$page" >/dev/null || { echo "serve-latency: $page is not served" >&2; exit 1; }
first=$(grep -oE '^built [0-9]+ pages and [0-9]+ feeds in [0-9]+ ms' "$log" | head -n 1)
echo "site: $site ($count events); $first"
echo "editing content/$rel ($save save), polling $page"

results=()
for i in $(seq 1 "$edits"); do
  before=$(builds)
  marker="latency-probe-$i-$RANDOM"
  text="$(cat "$file")"
  t0=$(now_ms)
  if [ "$save" = inplace ]; then
    printf '%s\n\n%s\n' "$text" "$marker" >"$file"
  else
    printf '%s\n\n%s\n' "$text" "$marker" >"$file.tmp"
    mv "$file.tmp" "$file"
  fi
  deadline=$(( t0 + 60000 ))
  until curl -s "$page" | grep -q "$marker"; do
    [ "$(now_ms)" -lt "$deadline" ] || { cat "$log" >&2; echo "serve-latency: edit $i not visible after 60 s" >&2; exit 1; }
  done
  t1=$(now_ms)
  results+=($(( t1 - t0 )))
  printf 'edit %2d: %4d ms\n' "$i" "$(( t1 - t0 ))"
  # Let the whole rebuild of this edit finish before the next one.
  wait_builds "$before" 600
done

sorted=$(printf '%s\n' "${results[@]}" | sort -n)
n=${#results[@]}
median=$(printf '%s\n' "$sorted" | sed -n "$(( (n + 1) / 2 ))p")
p90=$(printf '%s\n' "$sorted" | sed -n "$(( (n * 9 + 9) / 10 ))p")
min=$(printf '%s\n' "$sorted" | head -n 1)
max=$(printf '%s\n' "$sorted" | tail -n 1)
last=$(grep -oE 'changed: rebuilt [0-9]+ pages and [0-9]+ feeds in [0-9]+ ms' "$log" | tail -n 1)
echo "edit-to-visible over $n edits: median $median ms (min $min, p90 $p90, max $max)"
echo "last whole rebuild: ${last#changed: }"
