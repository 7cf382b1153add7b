#!/usr/bin/env bash
# Usage: scripts/bench-process.sh MODEL PORT SITE
# One model's cost of a connection, loopback: the first byte of 3 fresh connections (curl),
# wrk -t2 -c2 -d20s with a connection per request (with the server's CPU per connection, its
# children's included, from /proc/PID/stat), then the same keep-alive. Used for the process
# model beside threads in docs/BENCHMARKS.md.
set -euo pipefail
M=$1; P=$2; SITE=$3
HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..
"$HERE/tenk" --model "$M" -p "$P" -q -d "$SITE" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$P/" && break; sleep 0.2; done
JVM=$SERVER # ./tenk execs java
cpu() { awk '{print $14+$15+$16+$17}' "/proc/$JVM/stat"; } # utime stime cutime cstime, 1/100 s
echo "== $M $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first byte of fresh connections (s): $(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_starttransfer} ' "http://127.0.0.1:$P/"; done)"
c0=$(cpu)
out=$(wrk -t2 -c2 -d20s --timeout 30s -H "Connection: close" "http://127.0.0.1:$P/")
sleep 2
c1=$(cpu)
n=$(grep -o "[0-9]* requests in" <<<"$out" | cut -d' ' -f1)
echo "a connection per request: $(grep Requests/sec <<<"$out"), $n requests, server CPU per connection $(( (c1 - c0) * 10 / (n > 0 ? n : 1) )) ms"
echo "keep-alive: $(wrk -t2 -c2 -d20s --timeout 30s "http://127.0.0.1:$P/" | grep Requests/sec)"
