#!/usr/bin/env bash
# Lays out the berth distribution in $1 (lib/ already holds the module jars): bin/berth, JNA's
# native stub, and the class archives that make the CLI start fast, trained on berth's own commands
# for each JDK found (JDK 25: AOT cache; JDK 17: AppCDS). Training runs real containers when it can
# (root, crun, conmon, busybox-static), else the commands that need none.
set -euo pipefail
DIST=$1
SRC=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIST/bin" "$DIST/lib/native"
install -m 0755 "$SRC/bin/berth" "$DIST/bin/berth"

JNA_JAR=$(ls "$DIST"/lib/jna-*.jar | head -1)
ARCH=$(uname -m); case "$ARCH" in x86_64) JARCH=linux-x86-64;; aarch64) JARCH=linux-aarch64;; *) JARCH=linux-$ARCH;; esac
(cd "$DIST/lib/native" && unzip -o -q -j "$JNA_JAR" "com/sun/jna/$JARCH/libjnidispatch.so")

[ "${BERTH_SKIP_TRAINING:-}" = 1 ] && { echo "assembled $DIST (no class archive)"; exit 0; }

work=$(mktemp -d /tmp/berth-train.XXXXXX)
trap 'rm -rf "$work"' EXIT
script="$work/commands"
{
  echo "version"
  echo "--help"
  echo "info"
  echo "ps -a"
  echo "network ls"
} > "$script"
if [ "$(id -u)" = 0 ] && [ -x /bin/busybox ] && command -v conmon >/dev/null && command -v crun >/dev/null; then
  "$SRC/../../scripts/make-rootfs.sh" "$work/rootfs"
  {
    echo "run --rm --network none --rootfs $work/rootfs true"
    echo "run --rm --network none --runtime runc --rootfs $work/rootfs true"
    echo "run -d --rm --network none --rootfs $work/rootfs true"
    echo "create --name train --network none --rootfs $work/rootfs sleep 30"
    echo "start train"
    echo "ps -a"
    echo "inspect train"
    echo "exec train true"
    echo "stop -t 0 train"
    echo "rm train"
    echo "ps -a --format json"
  } >> "$script"
fi
# `run` alone, for the cache the launcher picks for run (a smaller cache starts faster)
runscript="$work/run-commands"
grep '^run ' "$script" > "$runscript" || true
train() { # $1 java home, $2 archive flag, $3 command script
  BERTH_TRAINING=1 BERTH_JAVA_HOME="$1" BERTH_JAVA_OPTS="$2 -Dberth.train=${3:-$script}" \
    "$DIST/bin/berth" --root "$work/root" --runroot "$work/run" version >/dev/null 2>"$work/train.log" \
    || { echo "training with $1 failed:"; cat "$work/train.log"; }
}
for jh in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-17-openjdk-*; do
  [ -x "$jh/bin/java" ] || continue
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jh/release")
  if [ "$v" -ge 25 ]; then
    train "$jh" "-XX:AOTCacheOutput=$DIST/lib/berth-$v.aot"
    if [ -s "$runscript" ]; then train "$jh" "-XX:AOTCacheOutput=$DIST/lib/berth-$v-run.aot" "$runscript"; fi
  else
    train "$jh" "-XX:ArchiveClassesAtExit=$DIST/lib/berth-$v.jsa"
  fi
done
ls -la "$DIST"/lib/berth-* 2>/dev/null || true
echo "assembled $DIST"
