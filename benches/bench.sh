#!/usr/bin/env bash
# Build-speed benchmark for chapterhouse on generated networks.
#
#   benches/bench.sh                        all three sizes, 5 runs each, plus check and serve
#   RUNS=10 benches/bench.sh                more runs per measurement (LARGE_RUNS for 50,000 events)
#   SIZES="20 200" benches/bench.sh         only some sizes (chapters; 50 events each)
#   SERVE=0 benches/bench.sh                skip the serve edit-to-page measurement
#   OUT_DIR=/dev/shm/chb benches/bench.sh   write the builds to another file system
#   QUIET_AFTER=0 benches/bench.sh          no wait after an earlier run's removal (see below)
#   COLD=1 benches/bench.sh                 also time builds with the site's files out of the
#                                           page cache, as in a CI job that compiled the tool
#                                           first (root only: drops the machine's page cache)
#   NO_BUILD=1 benches/bench.sh             no cargo build: reuse the binaries of the last run
#                                           (target/bench/), e.g. to compare OUT_DIRs
#
# Builds the release binary once (copied to target/bench/ so a concurrent
# `cargo build` cannot swap it mid-run), generates each network with
# `examples/gen-network.rs` into target/bench/net-<chapters>/ (kept, and
# reused while the generator and its arguments are unchanged), and for each
# size prints: wall time (median and fastest of RUNS builds after a warm-up
# `check`, each into a new output folder, as in CI), CPU time (user + system,
# median), peak memory (maximum resident set size from /usr/bin/time -v,
# largest over the runs), HTML pages per second (by the median), and the
# floor: the median time of examples/floor.rs, the least work that makes a
# page per event, timed alongside, and the build's median as a multiple of
# it (a figure that carries across machines), and the I/O floor: the median
# time of examples/io-floor.rs, which creates the same output tree with
# nothing computed (what the disk alone charges); with COLD=1, also the median
# of builds that start with the site's files out of the page cache. Then
# `check` on the 200-chapter network, and the time from saving an edited
# event file to `serve` returning the new page. See docs/benchmark.md.
#
# A benchmark, not a test: it never fails on speed. It exits non-zero only
# when something does not run (a build error, a missing tool).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
LARGE_RUNS=${LARGE_RUNS:-3} # for networks of 50,000 events or more: each run writes ~2 GB
SIZES=${SIZES:-"20 200 1000"}
EVENTS=${EVENTS:-50}
TODAY=${TODAY:-2026-11-24}
SERVE=${SERVE:-1}
COLD=${COLD:-0}
CHECK_SIZE=${CHECK_SIZE:-200}
SERVE_SIZE=${SERVE_SIZE:-200}
SERVE_EDITS=${SERVE_EDITS:-15}
BENCH=target/bench
OUT_DIR=${OUT_DIR:-$BENCH/out}
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

die() {
    echo "bench: $*" >&2
    exit 2
}

# Peak memory and CPU time come from GNU time's -v report.
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench: installing GNU time (apt-get install time)" >&2
        apt-get install -y -qq time >/dev/null || die "could not install GNU time"
    else
        die "/usr/bin/time is missing; install GNU time (Debian: apt-get install time)"
    fi
fi
if [ "$COLD" != 0 ] && [ "$(id -u)" != 0 ]; then
    die "COLD=1 needs root (it writes /proc/sys/vm/drop_caches)"
fi

REV=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
if [ -n "$(git status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock themes 2>/dev/null)" ]; then
    REV="$REV + uncommitted changes"
fi
mkdir -p "$BENCH" "$OUT_DIR"
BIN="$BENCH/chapterhouse"
GEN="$BENCH/gen-network"
FLOOR="$BENCH/floor"
SERVE_LATENCY="$BENCH/serve-latency"
IO_FLOOR="$BENCH/io-floor"
# Copy the binaries out of target/release.
take_binaries() {
    cp target/release/chapterhouse "$BIN"
    cp target/release/examples/gen-network "$GEN"
    cp target/release/examples/floor "$FLOOR"
    cp target/release/examples/serve-latency "$SERVE_LATENCY"
    cp target/release/examples/io-floor "$IO_FLOOR"
}
if [ "${NO_BUILD:-0}" = 0 ]; then
    echo "building the release binary and the generator..." >&2
    cargo build --release --quiet --bin chapterhouse --example gen-network --example floor --example serve-latency --example io-floor
    take_binaries
    echo "$REV" >"$BENCH/rev"
elif [ -x "$BIN" ] && [ -x "$GEN" ] && [ -x "$FLOOR" ] && [ -x "$SERVE_LATENCY" ] && [ -x "$IO_FLOOR" ] && [ -f "$BENCH/rev" ]; then
    REV="$(cat "$BENCH/rev"), the last run's binary (NO_BUILD=1)"
else
    take_binaries
    REV="target/release as it was (NO_BUILD=1; HEAD $REV)"
fi
# A network is regenerated when the generator's source changes (it does
# not use the library, so rebuilding it for a library change gives the same
# networks; regenerating deletes tens of thousands of files, which slows
# the file creations that follow on this disk).
GEN_SUM=$(cksum <examples/gen-network.rs | cut -d' ' -f1)

now_ns() { date +%s%N; }
# median and smallest of numbers on stdin (sed reads all input: no SIGPIPE under pipefail)
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
fastest() { sort -g | sed -n 1p; }
largest() { sort -g | sed -n '$p'; }

# run_timed LOG CMD...: run CMD under /usr/bin/time -v; prints "wall_s peak_kb cpu_s"
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
    awk -F': ' -v a="$t0" -v b="$t1" '
        /Maximum resident set size/ { kb = $2 }
        /User time \(seconds\)/ { u = $2 }
        /System time \(seconds\)/ { s = $2 }
        END { printf "%.4f %d %.2f\n", (b - a) / 1e9, kb, u + s }' "$log.time"
}

# Flush what earlier runs wrote before the next one starts (untimed): on a
# 2-core machine the kernel's writeback of a previous run's few hundred
# megabytes would otherwise run during the next build and take a core from
# it. Each timed build then starts on a quiet machine, as a CI build does.
settle() { sync; }

# summarize: lines "wall kb cpu" on stdin -> "median_wall fastest_wall peak_mb median_cpu"
summarize() {
    local all
    all=$(cat)
    printf '%.3f %.3f %s %.2f\n' \
        "$(awk '{ print $1 }' <<<"$all" | median)" \
        "$(awk '{ print $1 }' <<<"$all" | fastest)" \
        "$(awk '{ print $2 }' <<<"$all" | largest | awk '{ printf "%.0f", $1 / 1024 }')" \
        "$(awk '{ print $3 }' <<<"$all" | median)"
}

# Generate a network unless the same generator already wrote it with the same arguments.
generate() {
    local chapters=$1 net=$2
    local want="gen-network --chapters $chapters --events-per-chapter $EVENTS --seed 7 --today $TODAY"
    if [ -f "$net/.gen-network" ] && [ "$(cat "$net/.gen-network")" = "$want" ] &&
        [ "$(cat "$net.cksum" 2>/dev/null)" = "$GEN_SUM" ]; then
        echo "reusing $net" >&2
        return
    fi
    echo "generating $chapters chapters x $EVENTS events into $net..." >&2
    rm -f "$net.cksum"
    "$GEN" --chapters "$chapters" --events-per-chapter "$EVENTS" --seed 7 --today "$TODAY" "$net" 2>/dev/null
    echo "$GEN_SUM" >"$net.cksum"
}

declare -a ROWS
# One row of the table, its header included.
ROW_FORMAT='%-8s %7s %7s %7s %7s %9s %9s %7s %8s %8s %10s %10s %8s %8s %8s %7s'
# On ext4 without a journal (this machine's), the kernel does not reuse
# an inode for about six minutes after its file was deleted, and every
# file created meanwhile first steps over those inodes: creating a
# build's 30,000 files right after deleting an earlier output took
# several times longer. So outputs are removed at the end of a run, and
# a run that starts within six minutes of that waits (untimed).
QUIET_AFTER=${QUIET_AFTER:-360}
if ls -d "$OUT_DIR"/build-* >/dev/null 2>&1; then
    echo "removing the outputs of an earlier run in $OUT_DIR..." >&2
    rm -rf "${OUT_DIR:?}"/build-*
    sync
    date +%s >"$OUT_DIR/.removed"
fi
if [ -f "$OUT_DIR/.removed" ]; then
    wait_s=$(($(cat "$OUT_DIR/.removed") + QUIET_AFTER - $(date +%s)))
    if [ "$wait_s" -gt 0 ]; then
        echo "waiting ${wait_s}s for the file system to settle after the last removal (QUIET_AFTER=0 skips)..." >&2
        sleep "$wait_s"
    fi
fi
for chapters in $SIZES; do
    net="$BENCH/net-$chapters"
    generate "$chapters" "$net"
    outs="$OUT_DIR/build-$chapters"
    mkdir -p "$outs"
    runs=$RUNS
    [ $((chapters * EVENTS)) -lt 50000 ] || runs=$LARGE_RUNS
    echo "building it $runs times (after a warm-up check)..." >&2
    # The warm-up reads every input file (page cache) without writing.
    run_timed "$BENCH/check-$chapters" "$BIN" check --root "$net" --today "$TODAY" >/dev/null
    # Each run writes a new folder, as a CI build does. Nothing is removed
    # until the end: on this machine's ext4 (no journal, `discard`), deleting
    # thousands of files is slow and makes the next file creations slower
    # (see docs/benchmark.md).
    results=$(for n in $(seq "$runs"); do
        settle
        run_timed "$BENCH/build-$chapters" "$BIN" build --root "$net" --today "$TODAY" --output "$outs/run-$n"
    done)
    read -r med best mb cpu < <(summarize <<<"$results")
    # The floor (examples/floor.rs): the least work that makes a page per
    # event, on one thread, timed the same way between the builds, so the
    # figures can be read on another machine, or on this one at another hour.
    results=$(for n in $(seq "$runs"); do
        settle
        run_timed "$BENCH/floor-$chapters" "$FLOOR" "$net" "$outs/floor-$n"
    done)
    read -r fmed _ _ _ < <(summarize <<<"$results")
    # The I/O floor (examples/io-floor.rs): the first build's folders and
    # files made again, each file the same size, with nothing computed, on
    # as many threads as the build. No generator that writes these URLs
    # goes below it on this disk.
    results=$(for n in $(seq "$runs"); do
        settle
        run_timed "$BENCH/io-floor-$chapters" "$IO_FLOOR" "$outs/run-1" "$outs/io-$n"
    done)
    read -r iomed _ _ _ < <(summarize <<<"$results")
    # Cold: the same build with nothing of the site in the page cache (the
    # binary is read back first). On a VM that evicts files left idle for a
    # minute, this is what a CI job that compiled the tool first sees.
    cmed=-
    if [ "$COLD" != 0 ]; then
        results=$(for n in $(seq "$runs"); do
            settle
            echo 1 >/proc/sys/vm/drop_caches
            cat "$BIN" >/dev/null
            run_timed "$BENCH/cold-$chapters" "$BIN" build --root "$net" --today "$TODAY" --output "$outs/cold-$n"
        done)
        read -r cmed _ _ _ < <(summarize <<<"$results")
    fi
    # Rebuilds into one folder, as a leader does locally (and as CI does
    # with a cached output): each takes the previous build's spare as its
    # staging folder and rewrites only the files that changed.
    "$BIN" build --root "$net" --today "$TODAY" --output "$outs/same" --quiet
    "$BIN" build --root "$net" --today "$TODAY" --output "$outs/same" --quiet
    results=$(for n in $(seq "$runs"); do
        settle
        run_timed "$BENCH/rebuild-$chapters" "$BIN" build --root "$net" --today "$TODAY" --output "$outs/same"
    done)
    read -r rmed _ rmb _ < <(summarize <<<"$results")
    pages=$(find "$outs/run-1" -name '*.html' | wc -l)
    files=$(find "$outs/run-1" -type f | wc -l)
    mbytes=$(du -sm "$outs/run-1" | cut -f1)
    pps=$(awk -v p="$pages" -v s="$med" 'BEGIN { printf "%.0f", p / s }')
    ratio=$(awk -v a="$med" -v b="$fmed" 'BEGIN { printf "%.2f", a / b }')
    ROWS+=("$(printf "$ROW_FORMAT" \
        "$chapters" "$((chapters * EVENTS))" "$pages" "$files" "$mbytes" "$med" "$best" "$cpu" "$mb" "$pps" "$rmed" "$rmb" "$fmed" "$ratio" "$iomed" "$cmed")")
done

CHECK_ROW=""
if [ -d "$BENCH/net-$CHECK_SIZE" ]; then
    echo "checking the $CHECK_SIZE-chapter network $RUNS times..." >&2
    run_timed "$BENCH/check-$CHECK_SIZE" "$BIN" check --root "$BENCH/net-$CHECK_SIZE" --today "$TODAY" >/dev/null
    results=$(for _ in $(seq "$RUNS"); do
        run_timed "$BENCH/check-$CHECK_SIZE" "$BIN" check --root "$BENCH/net-$CHECK_SIZE" --today "$TODAY"
    done)
    read -r med best mb cpu < <(summarize <<<"$results")
    CHECK_ROW=$(printf 'check, %d events: median %s s, fastest %s s, CPU %s s, peak %s MB' \
        $((CHECK_SIZE * EVENTS)) "$med" "$best" "$cpu" "$mb")
fi

# serve: examples/serve-latency.rs copies the network to a temporary
# folder, serves it, saves an edited event file (write and rename, as
# editors do) and polls the event's page over one loopback connection every
# 5 ms until the edit shows; each edit meets an idle server.
SERVE_ROW=""
if [ "$SERVE" != 0 ] && [ -d "$BENCH/net-$SERVE_SIZE" ]; then
    echo "serve: timing $SERVE_EDITS edits of one event in the $SERVE_SIZE-chapter network..." >&2
    "$SERVE_LATENCY" "$BENCH/net-$SERVE_SIZE" --edits "$SERVE_EDITS" --today "$TODAY" --bin "$BIN" \
        >"$BENCH/serve.out" 2>&1 || {
        cat "$BENCH/serve.out" >&2
        die "the serve measurement failed"
    }
    line=$(grep '^edit-to-visible' "$BENCH/serve.out") || die "no result in $BENCH/serve.out"
    SERVE_ROW=$(printf 'serve, edit one event of %d: %s' $((SERVE_SIZE * EVENTS)) "${line#edit-to-visible }")
fi

echo
echo "chapterhouse $("$BIN" --version | awk '{ print $2 }') ($REV), $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); load average at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: release binary, --today $TODAY, a new output folder under $OUT_DIR ($(df -T "$OUT_DIR" | awk 'NR == 2 { print $2 }')) each run, then rebuilds into one folder (median); $RUNS runs ($LARGE_RUNS from 50,000 events) after a warm-up check"
echo
printf "$ROW_FORMAT\n" \
    chapters events pages files "out MB" "median s" "fastest s" "CPU s" "peak MB" "pages/s" "rebuild s" "rebuild MB" "floor s" "x floor" "io s" "cold s"
printf '%s\n' "${ROWS[@]}"
[ -z "$CHECK_ROW" ] || {
    echo
    echo "$CHECK_ROW"
}
[ -z "$SERVE_ROW" ] || echo "$SERVE_ROW"

echo "removing the build outputs in $OUT_DIR..." >&2
rm -rf "${OUT_DIR:?}"/build-*
sync
date +%s >"$OUT_DIR/.removed"
