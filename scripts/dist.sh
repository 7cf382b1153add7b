#!/usr/bin/env bash
# Builds tenk's distributions from target/tenk.jar (built first when missing):
#   target/tenk-VERSION-linux-x64.tar.gz  tenk-VERSION/{bin/tenk, lib/tenk.jar, lib/tenk.aot, runtime/, README.md, NOTICE}
#   target/tenk_VERSION_amd64.deb         the same under /usr/lib/tenk, /usr/bin/tenk, a systemd unit,
#                                         /etc/tenk/tenk.toml and the demo site in /usr/share/tenk/html
# runtime/ is a Java runtime trimmed by jlink to the modules jdeps finds in the jar; it is kept in
# target/dist/ and reused while the modules and the JDK stay the same.
# Usage: scripts/dist.sh   (also run by `mvn package -Pdist`)
# TENK_DIST_GZIP=1..9: the gzip level of the archive and of the package's data (default 6; the
# tests take 1: the same files, a little larger, made with less CPU).
set -euo pipefail
HERE=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
. "$HERE/scripts/java-env.sh"
tenk_find_java || exit 1
cd "$HERE"
GZIP_LEVEL=${TENK_DIST_GZIP:-6}
case "$GZIP_LEVEL" in [1-9]) ;; *) echo "dist: TENK_DIST_GZIP is a gzip level, 1 to 9" >&2; exit 1 ;; esac
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n1)
JAR=target/tenk.jar
OUT=target/dist
if [ ! -f "$JAR" ]; then
  echo "dist: building $JAR ..." >&2
  MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -q -B -DskipTests package
fi
for tool in zip strip dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || { echo "dist: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
# Timestamps and the changelog date come from the last commit, so a rebuild makes the same files.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
mkdir -p "$OUT"

# 1. The runtime: the modules the jar needs, no debug symbols, no man pages, compressed, no native
#    symbol tables (strip, from binutils), and the class-data archive for the JVM options tenk
#    runs with (compact object headers), which halves the JVM's start.
# (jdeps and jlink are short runs: C1 and the serial collector spend half the CPU on them, and
# jlink makes the same image)
modules=$("$JAVA_HOME/bin/jdeps" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC --multi-release 25 --ignore-missing-deps --print-module-deps "$JAR")
key="$modules $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1) $(cat scripts/jvm-options)"
if [ ! -x "$OUT/runtime/bin/java" ] || [ "$(cat "$OUT/runtime.key" 2>/dev/null)" != "$key" ]; then
  echo "dist: jlink --add-modules $modules" >&2
  rm -rf "$OUT/runtime" "$OUT/runtime.key"
  "$JAVA_HOME/bin/jlink" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$OUT/runtime"
  find "$OUT/runtime" -type f \( -name '*.so' -o -perm /111 \) -exec strip --strip-unneeded \
    --remove-section=.comment --remove-section=.note {} +
  # shellcheck disable=SC2046
  "$OUT/runtime/bin/java" $(cat scripts/jvm-options) -Xshare:dump >/dev/null 2>&1
  echo "$key" > "$OUT/runtime.key"
fi

# 2. The tree shared by both: bin/tenk, lib/tenk.jar (without other platforms' native libraries), runtime/.
NAME=tenk-$VERSION
TREE=$OUT/$NAME
rm -rf "$TREE" && mkdir -p "$TREE/bin" "$TREE/lib"
sed -e "s|@VERSION@|$VERSION|" -e "s|@JVM_OPTS@|$(cat scripts/jvm-options)|" packaging/bin-tenk > "$TREE/bin/tenk"
chmod 755 "$TREE/bin/tenk"
cp "$JAR" "$TREE/lib/tenk.jar"
zip -q -d "$TREE/lib/tenk.jar" 'aix/*' 'darwin/*' 'freebsd/*' 'win/*' 'linux/aarch64/*' 'linux/arm/*' 'linux/i386/*' \
  'linux/loongarch64/*' 'linux/mips64/*' 'linux/ppc64/*' 'linux/ppc64le/*' 'linux/riscv64/*' 'linux/s390x/*' >/dev/null || true
cp -a "$OUT/runtime" "$TREE/runtime"
cp README.md packaging/NOTICE "$TREE/"
# lib/tenk.aot: the ahead-of-time cache bin/tenk starts with, from a training run that serves the
# demo site to itself (the jar's time is set first: the cache records it)
touch -d "@$SOURCE_DATE_EPOCH" "$TREE/lib/tenk.jar"
# shellcheck disable=SC2046
if ! "$TREE/runtime/bin/java" $(cat scripts/jvm-options) -XX:AOTCacheOutput="$TREE/lib/tenk.aot" -Xlog:aot=off \
     -jar "$TREE/lib/tenk.jar" -q -p 0 -b 127.0.0.1 -d html --warm-up 50 >/dev/null 2>&1; then
  echo "dist: the training run failed; the package starts without an ahead-of-time cache" >&2
  rm -f "$TREE/lib/tenk.aot" "$TREE/lib/tenk.aot.config"
fi
find "$TREE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# 3. The archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$OUT" -cf - "$NAME" \
  | gzip "-${GZIP_LEVEL}n" > "target/$NAME-linux-x64.tar.gz"
echo "dist: target/$NAME-linux-x64.tar.gz" >&2

# 4. The Debian package.
DEB=$OUT/deb
rm -rf "$DEB" && mkdir -p "$DEB/DEBIAN" "$DEB/usr/lib/tenk" "$DEB/usr/bin" "$DEB/etc/tenk" \
  "$DEB/lib/systemd/system" "$DEB/usr/share/tenk" "$DEB/usr/share/doc/tenk"
cp -a "$TREE/bin" "$TREE/lib" "$TREE/runtime" "$DEB/usr/lib/tenk/"
ln -s ../lib/tenk/bin/tenk "$DEB/usr/bin/tenk"
cp packaging/tenk.toml "$DEB/etc/tenk/tenk.toml"
cp packaging/debian/tenk.service "$DEB/lib/systemd/system/tenk.service"
mkdir -p "$DEB/usr/share/lintian/overrides" && cp packaging/debian/lintian-overrides "$DEB/usr/share/lintian/overrides/tenk"
cp -r html "$DEB/usr/share/tenk/html"
cp packaging/NOTICE "$DEB/usr/share/doc/tenk/copyright"
gzip -9n < README.md > "$DEB/usr/share/doc/tenk/README.md.gz"
{ printf 'tenk (%s) unstable; urgency=medium\n\n  * Release %s.\n\n' "$VERSION" "$VERSION"
  printf ' -- tenk maintainers <maintainers@tenk.invalid>  %s\n' "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$DEB/usr/share/doc/tenk/changelog.gz"
cp packaging/debian/conffiles "$DEB/DEBIAN/"
for s in postinst prerm postrm; do install -m 755 "packaging/debian/$s" "$DEB/DEBIAN/$s"; done
find "$DEB" -path "$DEB/DEBIAN" -prune -o -type d -exec chmod 755 {} + -o -type f -perm /111 -exec chmod 755 {} + \
  -o -type f -exec chmod 644 {} +
(cd "$DEB" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
  > "$DEB/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$DEB" | cut -f1)
sed -e "s|@VERSION@|$VERSION|" -e "s|@SIZE@|$size|" packaging/debian/control > "$DEB/DEBIAN/control"
find "$DEB" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --build --root-owner-group -Zgzip "-z$GZIP_LEVEL" "$DEB" "target/tenk_${VERSION}_amd64.deb" >/dev/null
echo "dist: target/tenk_${VERSION}_amd64.deb" >&2
