#!/usr/bin/env bash
# Build-speed benchmark for chapterhouse on generated networks.
#
#   benches/bench.sh                  all three sizes, 5 runs each, plus check and serve
#   RUNS=10 benches/bench.sh          more runs per measurement
#   SIZES="20 200" benches/bench.sh   only some sizes (chapters; 50 events each)
#   SERVE=0 benches/bench.sh          skip the serve edit-to-page measurement
#
# Builds the release binary once (copied to target/bench/ so a concurrent
# `cargo build` cannot swap it mid-run), generates each network with
# `examples/gen-network.rs` into target/bench/net-<chapters>/, and for each
# prints wall time (median and fastest of RUNS builds into a fresh output
# folder), peak memory (maximum resident set size from /usr/bin/time -v,
# largest over the runs) and HTML pages per second. Then `check` on the
# 200-chapter network, and the time from saving an edited event file to
# `serve` returning the new page. See docs/benchmark.md.
#
# A benchmark, not a test: it never fails on speed. It exits non-zero only
# when something does not run (a build error, a missing tool).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=${SIZES:-"20 200 1000"}
EVENTS=${EVENTS:-50}
TODAY=${TODAY:-2026-11-24}
SERVE=${SERVE:-1}
CHECK_SIZE=${CHECK_SIZE:-200}
SERVE_SIZE=${SERVE_SIZE:-200}
SERVE_EDITS=${SERVE_EDITS:-7}
BENCH=target/bench
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

die() {
    echo "bench: $*" >&2
    exit 2
}

# Peak memory comes from GNU time's -v report.
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench: installing GNU time (apt-get install time)" >&2
        apt-get install -y -qq time >/dev/null || die "could not install GNU time"
    else
        die "/usr/bin/time is missing; install GNU time (Debian: apt-get install time)"
    fi
fi
command -v curl >/dev/null || { [ "$SERVE" = 0 ] || die "curl is missing (needed for the serve measurement; or run with SERVE=0)"; }

echo "building the release binary and the generator..." >&2
cargo build --release --quiet --bin chapterhouse --example gen-network
mkdir -p "$BENCH"
BIN="$BENCH/chapterhouse"
GEN="$BENCH/gen-network"
cp target/release/chapterhouse "$BIN"
cp target/release/examples/gen-network "$GEN"

now_ns() { date +%s%N; }

# median of numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
fastest() { sort -g | sed -n 1p; }

# run_timed LOG CMD...: run CMD under /usr/bin/time -v; prints "seconds kilobytes"
run_timed() {
    local log=$1
    shift
    local t0 t1
    t0=$(now_ns)
    if ! /usr/bin/time -v -o "$log.time" "$@" >"$log.out" 2>"$log.err"; then
        cat "$log.err" >&2
        die "failed: $*"
    fi
    t1=$(now_ns)
    local kb
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log.time")
    awk -v a="$t0" -v b="$t1" -v kb="$kb" 'BEGIN { printf "%.4f %d\n", (b - a) / 1e9, kb }'
}

# measure NAME CMD...: RUNS timed runs after one warm-up; prints "median fastest peak_mb"
# (PREP, when set, is run untimed before each run)
measure() {
    local name=$1
    shift
    local log="$BENCH/$name"
    local results=()
    ${PREP:-true}
    run_timed "$log" "$@" >/dev/null # warm-up: page cache, binary
    for _ in $(seq "$RUNS"); do
        ${PREP:-true}
        results+=("$(run_timed "$log" "$@")")
    done
    local walls kbs
    walls=$(printf '%s\n' "${results[@]}" | awk '{ print $1 }')
    kbs=$(printf '%s\n' "${results[@]}" | awk '{ print $2 }')
    printf '%s %s %s\n' \
        "$(median <<<"$walls")" \
        "$(fastest <<<"$walls")" \
        "$(sort -g <<<"$kbs" | tail -n1 | awk '{ printf "%.0f", $1 / 1024 }')"
}

declare -a ROWS
for chapters in $SIZES; do
    net="$BENCH/net-$chapters"
    out="$BENCH/out-$chapters"
    events=$((chapters * EVENTS))
    echo "generating $chapters chapters x $EVENTS events into $net..." >&2
    "$GEN" --chapters "$chapters" --events-per-chapter "$EVENTS" --today "$TODAY" "$net" 2>/dev/null
    echo "building it $RUNS times (plus one warm-up)..." >&2
    rm_out() { rm -rf "$out"; }
    read -r med best mb < <(PREP=rm_out measure "build-$chapters" "$BIN" build --root "$net" --today "$TODAY" --output "$out")
    pages=$(find "$out" -name '*.html' | wc -l)
    files=$(find "$out" -type f | wc -l)
    pps=$(awk -v p="$pages" -v s="$med" 'BEGIN { printf "%.0f", p / s }')
    ROWS+=("$(printf '%-8s %8s %8s %8s %10s %10s %9s %10s' \
        "$chapters" "$events" "$pages" "$files" "${med}" "${best}" "$mb" "$pps")")
done

CHECK_ROW=""
if [ -d "$BENCH/net-$CHECK_SIZE" ] || [[ " $SIZES " == *" $CHECK_SIZE "* ]]; then
    echo "checking the $CHECK_SIZE-chapter network $RUNS times..." >&2
    read -r med best mb < <(measure "check-$CHECK_SIZE" "$BIN" check --root "$BENCH/net-$CHECK_SIZE" --today "$TODAY")
    CHECK_ROW=$(printf 'check, %d events: median %s s, fastest %s s, peak %s MB' \
        $((CHECK_SIZE * EVENTS)) "$med" "$best" "$mb")
fi

# serve: save an edited event file, then poll the page until the edit shows.
SERVE_ROW=""
if [ "$SERVE" != 0 ] && [ -d "$BENCH/net-$SERVE_SIZE" ]; then
    net="$BENCH/net-$SERVE_SIZE"
    echo "serve: timing $SERVE_EDITS edits of one event in the $SERVE_SIZE-chapter network..." >&2
    file=$(find "$net/content/chapters" -path '*/events/*.md' | sort | sed -n 1p)
    rel=${file#"$net/content/"}
    page="${rel%.md}/"
    backup="$BENCH/serve-edit.bak"
    cp "$file" "$backup"
    log="$BENCH/serve.log"
    "$BIN" serve --root "$net" --today "$TODAY" --port 0 2>"$log" &
    serve_pid=$!
    cleanup_serve() {
        kill "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
        cp "$backup" "$file"
    }
    trap cleanup_serve EXIT
    url=""
    for _ in $(seq 600); do # up to 60 s for the first build
        url=$(sed -n 's/^serving at \(http[^ ;]*\).*/\1/p' "$log" | sed -n 1p)
        if [ -n "$url" ] && grep -q 'pages and' "$log"; then break; fi
        kill -0 "$serve_pid" 2>/dev/null || { cat "$log" >&2; die "serve stopped"; }
        sleep 0.1
    done
    [ -n "$url" ] || die "serve did not start (see $log)"
    url=${url%/}
    lat=()
    for i in $(seq "$SERVE_EDITS"); do
        marker="bench-edit-$i-$(now_ns)"
        tmp="$file.tmp"
        { cat "$backup"; printf '\n%s\n' "$marker"; } >"$tmp"
        t0=$(now_ns)
        mv "$tmp" "$file" # like an editor's atomic save
        seen=""
        for _ in $(seq 4000); do # bounded: at most ~20 s
            body=$(curl -fs "$url/$page" 2>/dev/null || true)
            if [[ $body == *"$marker"* ]]; then
                seen=1
                break
            fi
            sleep 0.005
        done
        t1=$(now_ns)
        [ -n "$seen" ] || die "the edit did not show in serve within 20 s (see $log)"
        lat+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')")
        sleep 0.5 # let the watcher settle before the next save
    done
    cleanup_serve
    trap - EXIT
    SERVE_ROW=$(printf 'serve, edit one event of %d: median %s ms, fastest %s ms (%d edits)' \
        $((SERVE_SIZE * EVENTS)) \
        "$(printf '%s\n' "${lat[@]}" | median)" \
        "$(printf '%s\n' "${lat[@]}" | fastest)" "$SERVE_EDITS")
fi

echo
echo "chapterhouse $("$BIN" --version | awk '{ print $2 }') ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), load average at start $LOAD_AT_START"
echo "build = release binary, fresh output folder each run, --today $TODAY; $RUNS runs after a warm-up"
echo
printf '%-8s %8s %8s %8s %10s %10s %9s %10s\n' chapters events pages files "median s" "fastest s" "peak MB" "pages/s"
printf '%s\n' "${ROWS[@]}"
[ -z "$CHECK_ROW" ] || { echo; echo "$CHECK_ROW"; }
[ -z "$SERVE_ROW" ] || echo "$SERVE_ROW"
