# Shared by bench.sh and scale.sh (sourced; WORK and BIN are set by them).

# The reader's peak memory (MB), in tmux: opened on corpus $1, left $2
# seconds, a story opened, quit.
reader_rss() {
    local session=byline-bench-$$ out=$WORK/rss.txt
    # The store named in the command: a tmux server already running would
    # give the session its own environment, not this one.
    tmux new-session -d -s "$session" -x 160 -y 48 \
        "env BYLINE_DATA_DIR=$BYLINE_DATA_DIR BYLINE_CONFIG_DIR=$BYLINE_CONFIG_DIR /usr/bin/time -f %M -o $out $BIN $1"
    sleep "$2"
    tmux send-keys -t "$session" Enter
    sleep 2
    tmux send-keys -t "$session" q
    sleep 2
    tmux kill-session -t "$session" 2>/dev/null || true
    awk '{printf "%.0f", $1 / 1024}' "$out"
}

# related_query TRACE: seconds the related query took, from a BYLINE_TRACE
# of `byline related`: its lines (near-duplicates, the engine's scan, the
# rest) summed.
related_query() {
    awk -F': ' '$2 ~ /^related/ { t = $NF; sub(/ ms.*/, "", t); s += t } END { print s / 1000 }' "$1"
}
