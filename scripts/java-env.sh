# Sourced by ./tenk and ./test: finds a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME (if 25+), then /usr/lib/jvm/*25* (and newer), then `java` on PATH (if 25+).

java_major() { # JAVA_BINARY -> major version number, or nothing
  # the runtime's release file says it without starting a JVM (a start costs more than the rest of ./tenk)
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION=' "$release"; then
    awk -F'"' '/^JAVA_VERSION=/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }' "$release"
  else
    "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
  fi
}

java_build() { # JAVA_HOME -> the runtime's exact version, e.g. 25.0.3+9-LTS
  sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null | grep . || "$1/bin/java" -version 2>&1 | head -n1
}

tenk_find_java() {
  local cand major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then return 0; fi
  fi
  for cand in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*3[0-9]*; do
    [ -x "$cand/bin/java" ] || continue
    major=$(java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then export JAVA_HOME=$cand; return 0; fi
  done
  if command -v java >/dev/null 2>&1; then
    cand=$(readlink -f "$(command -v java)")
    major=$(java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME=$(dirname "$(dirname "$cand")"); return 0
    fi
  fi
  echo "tenk: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*25*, and java on PATH)." >&2
  echo "tenk: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
