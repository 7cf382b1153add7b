#!/usr/bin/env bash
# Measures the open-file cache: the same jar with and without --no-cache, in one run, pinned as in
# ../shared/bench (server on CPU 0, wrk on CPU 1), 30 s warm-up, 3 runs of 10 s, median.
# Usage: scripts/bench-open-file-cache.sh JAR SITE   (run it under flock -x /tmp/tenk-bench.lock)
set -euo pipefail
JAR=${1:?jar}; SITE=${2:?site}; PORT=${PORT:-18931}
JAVA=${JAVA:-java}
run_mode() { # name extra-flags
  local name=$1; shift
  taskset -c 0 "$JAVA" -Xmx256m -jar "$JAR" -q -p "$PORT" -d "$SITE" "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/index.html" && break; sleep 0.2; done
  taskset -c 1 wrk -t1 -c100 -d30s "http://127.0.0.1:$PORT/index.html" >/dev/null
  for path in /index.html /64k.bin; do
    local rs=()
    for _ in 1 2 3; do
      rs+=("$(taskset -c 1 wrk -t1 -c100 -d10s --latency "http://127.0.0.1:$PORT$path" | awk '/Requests\/sec/ {print $2}')")
    done
    local med; med=$(printf '%s\n' "${rs[@]}" | sort -n | sed -n 2p)
    echo "$name $path median=$med runs=${rs[*]}"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run_mode cache
run_mode no-cache --no-cache
run_mode cache
