#!/usr/bin/env bash
# Runs every fuzz target in turn, seeded with the test fixtures and the
# structure-aware seeds (whole pages with related blocks, laced with
# characters whose case mapping changes length), with a dictionary of the
# same pieces.
#   bash fuzz/run.sh            # 10 minutes each
#   SECONDS_EACH=60 bash fuzz/run.sh
# Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")"
EACH=${SECONDS_EACH:-600}
cargo +nightly fuzz build
for target in detect page plain markdown json jsonl html feed; do
    mkdir -p "corpus/$target"
    find ../tests/fixtures seeds -type f -exec cp -n {} "corpus/$target/" \;
    echo "== $target: $EACH s"
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$EACH" -max_len=16384 -dict=dict/loader.dict \
        -print_final_stats=1 2>&1 |
        grep -E "^(#[0-9]+.*DONE|stat::|==.*ERROR|SUMMARY|Done)" || true
done
