# Sourced by bench/syscalls, bench/alloc and bench/waves: the tools they need, the bench site, and
# one tenk serving it on a free loopback port. Set before sourcing: ROOT (the checkout), NAME (the
# script's name, for messages).
#
#   bench_need TOOL...             installs the Debian packages of missing tools (as root)
#   bench_start_tenk [ARGS...]     starts tenk on the bench site with ARGS (JAR=path: that build, with
#                                  the launcher's JVM options; PIN=N: on CPU N); sets SITE, OUT (a
#                                  temporary folder, removed on exit with the server), SERVER, PID, PORT

bench_need() {
  local need=() t
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
  [ ${#need[@]} -eq 0 ] && return
  echo "$NAME: installing ${need[*]}" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
}

bench_start_tenk() {
  . "$ROOT/scripts/java-env.sh"
  tenk_find_java || exit 1
  SITE=${SITE:-/tmp/tenk-bench-site}
  "$ROOT/bench/scenarios/make-site.sh" "$SITE" >/dev/null
  OUT=$(mktemp -d)
  SERVER=""
  trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$OUT"' EXIT
  local pin=()
  [ -n "${PIN:-}" ] && pin=(taskset -c "$PIN")
  if [ -n "${JAR:-}" ]; then
    # shellcheck disable=SC2046
    "${pin[@]}" "$JAVA_HOME/bin/java" $(cat "$ROOT/scripts/jvm-options") --enable-native-access=ALL-UNNAMED -jar "$JAR" \
      -q -p 0 -b 127.0.0.1 -d "$SITE" "$@" >"$OUT/server.log" 2>&1 &
  else
    "$ROOT/tenk" --version >/dev/null || { echo "$NAME: tenk does not build" >&2; exit 1; }
    "${pin[@]}" "$ROOT/tenk" -q -p 0 -b 127.0.0.1 -d "$SITE" "$@" >"$OUT/server.log" 2>&1 &
  fi
  SERVER=$!
  PORT=""
  for _ in $(seq 200); do
    PID=$(pgrep -P "$SERVER" java || echo "$SERVER")
    PORT=$(ss -ltnpH 2>/dev/null | grep "pid=$PID," | awk '{print $4}' | sed 's/.*://' | head -n1)
    [ -n "$PORT" ] && break
    sleep 0.05
  done
  [ -n "$PORT" ] || { echo "$NAME: the server did not start: $(head -n3 "$OUT/server.log")" >&2; exit 1; }
}
