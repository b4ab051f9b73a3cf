#!/usr/bin/env bash
# Edit-to-visible latency of `chapterhouse serve`: save a change to one
# event file, poll that event's page until the change is served, and print
# the median over several edits. The work is done by
# examples/serve-latency.rs (see there for what is measured and how).
#
#   benches/serve-latency.sh [SITE] [--edits N] [--save rename|inplace]
#
# SITE defaults to the example network in this repository; it is copied to
# a temporary folder first. For a network of 10,000 events:
#
#   cargo run --release --example gen-network -- --chapters 200 --events-per-chapter 50 /tmp/net10k
#   benches/serve-latency.sh /tmp/net10k
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin chapterhouse --example serve-latency
exec target/release/examples/serve-latency "$@"
