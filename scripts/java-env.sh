# Sourced by ./tenk and ./test: finds a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME (if 25+), then /usr/lib/jvm/*25* (and newer), then `java` on PATH (if 25+).

# These helpers use shell builtins where they can: ./tenk runs them at every start, and each
# program they would start (grep, awk, sed, dirname) costs a few milliseconds.

release_value() { # RELEASE_FILE KEY -> sets REPLY to KEY's value in a JDK's release file (KEY="value"); fails if absent
  local line
  REPLY=
  [ -f "$1" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in "$2=\""*) line=${line#*=\"}; REPLY=${line%\"}; [ -n "$REPLY" ]; return ;; esac
  done < "$1"
  return 1
}

java_major() { # JAVA_BINARY -> sets REPLY to the major version number (empty if unknown)
  # the runtime's release file says it without starting a JVM (a start costs more than the rest of ./tenk)
  local v
  if release_value "${1%/bin/java}/release" JAVA_VERSION; then
    v=$REPLY
  else
    v=$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
  fi
  v=${v#1.} # 1.8.0 -> 8
  REPLY=${v%%[.+_-]*}
}

java_build() { # JAVA_HOME -> sets REPLY to the runtime's exact version, e.g. 25.0.3+9-LTS
  release_value "$1/release" JAVA_RUNTIME_VERSION || REPLY=$("$1/bin/java" -version 2>&1 | head -n1)
}

tenk_find_java() {
  local cand major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java_major "$JAVA_HOME/bin/java"; major=$REPLY
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then return 0; fi
  fi
  for cand in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*3[0-9]*; do
    [ -x "$cand/bin/java" ] || continue
    java_major "$cand/bin/java"; major=$REPLY
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then export JAVA_HOME=$cand; return 0; fi
  done
  if command -v java >/dev/null 2>&1; then
    cand=$(readlink -f "$(command -v java)")
    java_major "$cand"; major=$REPLY
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME=${cand%/bin/java}; return 0
    fi
  fi
  echo "tenk: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*25*, and java on PATH)." >&2
  echo "tenk: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
