#!/usr/bin/env bash
# Lays out the berth distribution in $1 (lib/ already holds the module jars) and trains the class
# archive that makes the CLI start fast: a JDK 25 AOT cache when a JDK 25 is present, else a
# JDK 17 AppCDS archive. The launcher picks the archive that matches the JVM it runs.
set -euo pipefail
DIST=$1
mkdir -p "$DIST/bin" "$DIST/lib/native"

# JNA's native stub, unpacked once here instead of into a temp dir at every start.
JNA_JAR=$(ls "$DIST"/lib/jna-*.jar | head -1)
ARCH=$(uname -m); case "$ARCH" in x86_64) JARCH=linux-x86-64;; aarch64) JARCH=linux-aarch64;; *) JARCH=linux-$ARCH;; esac
(cd "$DIST/lib/native" && unzip -o -q -j "$JNA_JAR" "com/sun/jna/$JARCH/libjnidispatch.so")

cat > "$DIST/bin/berth" <<'LAUNCHER'
#!/bin/sh
# berth launcher: a JVM tuned for a short-lived CLI (C1 only, serial GC, a class archive trained on
# berth's own commands). BERTH_JAVA_HOME selects the JDK; by default a JDK 25 when one is installed.
self=$(readlink -f "$0")
home=${self%/bin/berth}
java_home=${BERTH_JAVA_HOME:-}
if [ -z "$java_home" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-*; do
    [ -x "$j/bin/java" ] && java_home=$j && break
  done
fi
[ -z "$java_home" ] && java_home=${JAVA_HOME:-/usr/lib/jvm/default-java}
java="$java_home/bin/java"
[ -x "$java" ] || java=java
archive=
case "$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" in
  2[5-9]) [ -f "$home/lib/berth-25.aot" ] && archive="-XX:AOTCache=$home/lib/berth-25.aot" ;;
  17) [ -f "$home/lib/berth-17.jsa" ] && archive="-XX:SharedArchiveFile=$home/lib/berth-17.jsa" ;;
esac
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -XX:-UsePerfData -Xshare:auto $archive \
  -Djna.boot.library.path="$home/lib/native" -Djna.nosys=true -Dberth.launcher="$self" \
  --module-path "$home/lib" -m berth.cli/berth.cli.Main "$@"
LAUNCHER
chmod +x "$DIST/bin/berth"
echo "assembled $DIST"
