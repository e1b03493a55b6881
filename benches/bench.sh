#!/usr/bin/env bash
# byline's speed targets at 100,000 stories, from the release build.
#
#   bash benches/bench.sh            # corpus and stores in a temp folder
#   BENCH_DIR=/tmp/b bash benches/bench.sh   # keep them between runs
#
# Generates the corpus once (examples/gen_corpus), then measures whole
# processes and prints one line per target: figure, target, PASS or FAIL.
# Needs hyperfine (apt-get install hyperfine); compares with fzf when it is
# installed, and measures the interface's memory in tmux when that is.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
WORK=${BENCH_DIR:-$(mktemp -d)}
CORPUS=$WORK/corpus-$N
BIN=$PWD/target/release/byline
export BYLINE_DATA_DIR=$WORK/data BYLINE_CONFIG_DIR=$WORK/config

command -v hyperfine >/dev/null || { echo "bench.sh needs hyperfine (apt-get install hyperfine)"; exit 2; }
cargo build --release --quiet --bin byline --example gen_corpus --example typing_frames --example serve_feeds
[[ -d $CORPUS ]] || target/release/examples/gen_corpus --count "$N" --out "$CORPUS" >/dev/null

results=()
report() { # name figure target verdict
    results+=("$(printf '%-44s %-26s %-22s %s' "$1" "$2" "$3" "$4")")
}
ms() { awk '{printf "%.0f", $1 * 1000}'; }
mean_of() { # hyperfine JSON -> mean seconds of command $2
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['mean'])" "$1" "$2"
}
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "PASS" : "FAIL" }'; }

# Cold index: from an empty store, until the headline list is ready. Both
# this and the bare read it is compared with run on a warm page cache.
bare_read() { { /usr/bin/time -f '%e' bash -c "find '$CORPUS/' -type f -print0 | xargs -0 -P $(nproc) -n 1000 cat >/dev/null"; } 2>&1 | tail -1; }
bare_read >/dev/null
rm -rf "$BYLINE_DATA_DIR" "$BYLINE_CONFIG_DIR"
start=$(date +%s.%N)
BYLINE_TRACE=1 "$BIN" list --limit 1 "$CORPUS" >/dev/null 2>"$WORK/cold.trace"
total=$(echo "$(date +%s.%N) - $start" | bc)
headlines=$(awk -F': ' '/byline trace: (walk|compare with the store|quick headlines)/ { sub(/ ms/, "", $3); s += $3 } END { print s / 1000 }' "$WORK/cold.trace")
bare=$(bare_read)
report "cold index: headline list ready" "$(echo "$headlines" | ms) ms" "<= 3 x bare read $(echo "$bare" | ms) ms" "$(verdict "$headlines" "$(echo "3 * $bare" | bc -l)")"
report "cold index: everything (text index, groups)" "$(echo "$total" | ms) ms" "(reported)" "-"
corpus_bytes=$(du -sb "$CORPUS" | cut -f1)
store_bytes=$(du -sb "$BYLINE_DATA_DIR" | cut -f1)
store_ratio=$(echo "$store_bytes / $corpus_bytes" | bc -l)
report "store size against the corpus" "$((store_bytes / 1048576)) MB = $(printf '%.3f' "$store_ratio") x" "<= 1.2 x $((corpus_bytes / 1048576)) MB" "$(verdict "$store_ratio" 1.2)"

# Warm start.
hyperfine --style none --warmup 2 --runs 10 --export-json "$WORK/warm.json" "$BIN list --limit 1 $CORPUS" >/dev/null
warm=$(mean_of "$WORK/warm.json" 0)
report "warm start: byline list --limit 1" "$(echo "$warm" | ms) ms" "<= 300 ms" "$(verdict "$warm" 0.3)"

# reader_rss CORPUS SECONDS: the reader's peak memory (benches/common.sh).
source benches/common.sh

# Memory of the reader's first open on a store indexed by `byline list`
# alone: it builds the related engine (in the background) while it runs.
# (A copy of the store as `list` left it: the full cold index below builds
# the engine in this one.)
if command -v tmux >/dev/null; then
    rm -rf "$WORK/data-listed" && cp -r "$BYLINE_DATA_DIR" "$WORK/data-listed"
    first_mb=$(BYLINE_DATA_DIR=$WORK/data-listed reader_rss "$CORPUS" 30)
    rm -rf "$WORK/data-listed"
    report "memory: first open, builds the engine" "$first_mb MB" "<= 250 MB" "$(verdict "$first_mb" 250)"
fi

# Related on demand, and the engine's part of a warm start (built once
# first: the rest of the full cold index).
id=$("$BIN" list --limit 1 "$CORPUS" | cut -c1-10)
engine_build=$({ /usr/bin/time -f '%e' "$BIN" related "$id" "$CORPUS" >/dev/null; } 2>&1 | tail -1)
full=$(echo "$total + $engine_build" | bc -l)
report "cold index: full, related engine included" "$(echo "$full" | ms) ms (engine $(echo "$engine_build" | ms) ms)" "<= 8 s" "$(verdict "$full" 8)"
BYLINE_TRACE=1 "$BIN" related "$id" "$CORPUS" 2>"$WORK/related.trace" >/dev/null
query=$(related_query "$WORK/related.trace")
load=$(awk -F': ' '/load the related engine/ { sub(/ ms/, "", $3); print $3 / 1000 }' "$WORK/related.trace")
report "related: one story on demand" "$(echo "$query" | ms) ms" "< 10 ms" "$(verdict "$query" 0.00999)"
report "related: engine's part of a warm start" "$(echo "$load" | ms) ms" "< 100 ms" "$(verdict "$load" 0.0999)"

# Fuzzy search against fzf over the same headlines.
"$BIN" list "$CORPUS" | cut -c51- >"$WORK/headlines.txt"
for query in c chi russia "china hackers"; do
    if command -v fzf >/dev/null; then
        hyperfine --style none --warmup 2 --runs 10 --export-json "$WORK/search.json" \
            "$BIN search '$query' --limit 0 $CORPUS" "fzf --filter '$query' <$WORK/headlines.txt" >/dev/null
        ours=$(mean_of "$WORK/search.json" 0)
        theirs=$(mean_of "$WORK/search.json" 1)
        report "search '$query' --limit 0 vs fzf --filter" "$(echo "$ours" | ms) ms" "< fzf $(echo "$theirs" | ms) ms" "$(verdict "$ours" "$theirs")"
    else
        report "search '$query'" "-" "fzf not installed" "SKIP"
    fi
done

# Typing in the full-text finder: no frame waits for the search, which runs
# on the library worker (one frame = a key applied, answers in, a redraw).
typing=$(target/release/examples/typing_frames --store "$BYLINE_DATA_DIR/store.sqlite3" --library "$CORPUS" --query government)
longest=$(echo "$typing" | awk '{ for (i = 1; i < NF; i++) if ($i == "longest_ms") print $(i + 1) }')
inline=$(echo "$typing" | awk '{ for (i = 1; i < NF; i++) if ($i == "search_in_frame_would_be_ms") print $(i + 1) }')
report "full-text finder: longest frame, 10 keys" "$longest ms (search $inline ms)" "<= 16 ms (one frame)" "$(verdict "$longest" 16)"

# One 15 MB file that is a single line, among 50 ordinary ones: it costs
# search and the finder no more than an ordinary story.
HUGE=$WORK/huge
if [[ ! -d $HUGE/lib ]]; then
    target/release/examples/gen_corpus --count 50 --out "$HUGE/lib" >/dev/null
    python3 -c "import itertools,sys; w=itertools.cycle('football growth market council harbour season'.split()); out=[]; n=0
while n < 15000000: x=next(w); out.append(x); n+=len(x)+1
open(sys.argv[1],'w').write(' '.join(out))" "$HUGE/lib/oneline.txt"
fi
huge_env=(env BYLINE_DATA_DIR="$HUGE/data" BYLINE_CONFIG_DIR="$HUGE/config")
rm -rf "$HUGE/data"
index_kb=$({ "${huge_env[@]}" /usr/bin/time -f '%M' "$BIN" list "$HUGE/lib" >/dev/null; } 2>&1 | tail -1)
report "15 MB one-line file: first index memory" "$((index_kb / 1024)) MB" "<= 250 MB" "$(verdict "$index_kb" $((250 * 1024)))"
hyperfine --style none --warmup 2 --runs 10 --export-json "$WORK/huge.json" "${huge_env[*]} $BIN search 'football growth' $HUGE/lib" >/dev/null
huge_search=$(mean_of "$WORK/huge.json" 0)
search_kb=$({ "${huge_env[@]}" /usr/bin/time -f '%M' "$BIN" search 'football growth' "$HUGE/lib" >/dev/null; } 2>&1 | tail -1)
time_ok=$(verdict "$huge_search" 0.3); memory_ok=$(verdict "$search_kb" $((64 * 1024)))
report "15 MB one-line file: search" "$(echo "$huge_search" | ms) ms, $((search_kb / 1024)) MB" "<= 300 ms, <= 64 MB" "$([[ $time_ok$memory_ok == PASSPASS ]] && echo PASS || echo FAIL)"
for mode in --fuzzy ""; do
    frames=$(target/release/examples/typing_frames --store "$HUGE/data/store.sqlite3" --library "$HUGE/lib" --query "football growth" $mode)
    longest=$(echo "$frames" | awk '{ for (i = 1; i < NF; i++) if ($i == "longest_ms") print $(i + 1) }')
    report "15 MB one-line file: finder ${mode:---full-text}" "$longest ms longest frame" "<= 16 ms" "$(verdict "$longest" 16)"
done

# Memory of the interface on the warm library.
if command -v tmux >/dev/null; then
    rss_mb=$(reader_rss "$CORPUS" 3)
    report "memory: interface open, one story read" "$rss_mb MB" "<= 250 MB" "$(verdict "$rss_mb" 250)"
else
    report "memory: interface" "-" "tmux not installed" "SKIP"
fi

# Reading: per-frame cost of scrolling a 5 MB story against a 5 KB one.
cargo bench --quiet --bench core -- scroll 2>/dev/null | awk '/scroll one line and draw/ { name = $NF } /time:/ { gsub(/\[/, ""); print name, $4, $5 }' >"$WORK/scroll.txt"
small=$(awk '$1 == "story" || NR == 1 { print $2, $3; exit }' "$WORK/scroll.txt")
large=$(awk 'NR == 2 { print $2, $3 }' "$WORK/scroll.txt")
to_us() { awk '{ v = $1; if ($2 == "ns") v /= 1000; if ($2 == "ms") v *= 1000; printf "%.0f", v }'; }
s_us=$(echo "$small" | to_us); l_us=$(echo "$large" | to_us)
report "reading: frame scrolling 5 MB vs 5 KB" "$l_us us vs $s_us us" "same (within 1.5x)" "$(verdict "$l_us" "$(echo "1.5 * $s_us" | bc -l)")"

# The sources view at 100k stories (criterion): open it, show one source, back to all.
sources=$(cargo bench --quiet --bench core -- "sources view" 2>/dev/null | awk '/time:/ { gsub(/\[/, ""); print $4, $5; exit }')
sources_ms=$(echo "$sources" | awk '{ v = $1; if ($2 == "us" || $2 == "µs") v /= 1000; if ($2 == "s") v *= 1000; printf "%.1f", v }')
report "sources view 100k: open, one source, back" "$sources_ms ms" "< 50 ms" "$(verdict "$sources_ms" 49.99)"

# Fetching: 200 local feeds of 50 items each, served over HTTP on
# 127.0.0.1 by examples/serve_feeds (8 threads, ETag and Last-Modified,
# 304s; python3's http.server was the bottleneck at 1 s for 200 304s); the
# first fetch writes 10,000 items, the second gets 304s only.
FEEDS=$WORK/feeds-200
if [[ ! -d $FEEDS ]]; then
    python3 - "$FEEDS" <<'PY'
import os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for f in range(200):
    items = "".join(
        f"<item><guid>urn:bench:{f}:{i}</guid><title>Feed {f} story {i}: harbour council votes on plan {i * 7 + f}</title>"
        f"<link>https://feed{f}.example/{i}</link><pubDate>Thu, 26 Nov 2026 {i % 24:02d}:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Story {i} of feed {f}. The council met on Tuesday and voted {i + f} to {f % 9} on the plan.&lt;/p&gt;"
        f"&lt;p&gt;A second paragraph for item {i}, so the text is more than a line.&lt;/p&gt;</description></item>"
        for i in range(50))
    with open(os.path.join(out, f"feed{f}.xml"), "w") as fh:
        fh.write(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed {f}</title>{items}</channel></rss>')
PY
fi
target/release/examples/serve_feeds "$FEEDS" >"$WORK/port.txt" &
server=$!
sleep 1
port=$(cat "$WORK/port.txt")
FEED_CONFIG=$WORK/feed-config
FEED_DATA=$WORK/feed-data
rm -rf "$FEED_CONFIG" "$FEED_DATA"
mkdir -p "$FEED_CONFIG"
for f in $(seq 0 199); do printf '[[feed]]\nname = "Bench feed %s"\nurl = "http://127.0.0.1:%s/feed%s.xml"\n' "$f" "$port" "$f"; done >"$FEED_CONFIG/feeds.toml"
fetch_secs() { { /usr/bin/time -f '%e' "$BIN" fetch --quiet --data-dir "$FEED_DATA" --config-dir "$FEED_CONFIG" >/dev/null; } 2>&1 | tail -1; }
first=$(fetch_secs)
items=$(find "$FEED_DATA/feeds" -name '*.json' ! -name '.*' | wc -l)
second=$(fetch_secs)
kill "$server" 2>/dev/null || true
report "fetch: 200 feeds x 50 items, first" "$(echo "$first" | ms) ms ($items items)" "a few seconds (<= 5 s)" "$(verdict "$first" 5)"
report "fetch: the same 200 feeds again, all 304" "$(echo "$second" | ms) ms" "< 1 s" "$(verdict "$second" 0.999)"

echo "byline speed targets, $N stories, $(nproc) cores, $(date -u +%FT%TZ)"
printf '%-44s %-26s %-22s %s\n' "target" "figure" "goal" "result"
printf '%s\n' "${results[@]}"
