# Sourced by the load scripts (load.sh, load_nodes.sh): one way to start a release server for
# a load run. Needs DIR (scratch directory), PIDS (an array the caller's cleanup kills) and,
# optionally, TARGET (the cargo target directory, default `target`).
#
# start_server NAME PORT EXTRA-ARGS…: `serve --data-dir DIR/NAME` on 127.0.0.1:PORT with the
# per-ticket and per-client rate limits off; sets STARTED to the pid once the server listens
# (not run in $(…): the pid must reach PIDS in the caller's shell for the cleanup).
start_server() {
  local name="$1" port="$2"; shift 2
  "${TARGET:-target}/release/greenlight-server" serve --data-dir "$DIR/$name" \
    --listen "127.0.0.1:$port" --ticket-rate 0 --client-rate 0 "$@" \
    >"$DIR/$name.out" 2>"$DIR/$name.log" &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 100); do
    grep -q '^listening on' "$DIR/$name.out" 2>/dev/null && { STARTED="$pid"; return; }
    sleep 0.1
  done
  echo "server $name did not start" >&2; cat "$DIR/$name.log" >&2; exit 1
}
