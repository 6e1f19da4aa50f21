#!/usr/bin/env bash
# Lays out a berth distribution: bin/berth, lib/ with the module jars of the chosen plugin set (and
# what they need), JNA's native stub and sqlite-jdbc's library, a jlinked Java runtime in runtime/,
# and the class archives that make the CLI start fast, trained on berth's own commands by
# lib/train.sh (the bundled runtime, and with --train-system-jdks=true each system JDK found: JDK 25
# AOT caches, JDK 17 AppCDS).
#
#   assemble.sh --dist=DIR --staging=DIR [--plugins=all|NAME,...] [--runtime=true|false]
#               [--train-system-jdks=true|false]
#
# --staging holds every jar the distribution module depends on (copy-dependencies); the plugin set
# picks from it: the CLI, the chosen plugins (directory names under plugins/) and, found through
# their module descriptors, what those need. BERTH_SKIP_TRAINING=1 skips the training.
set -euo pipefail
SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
DIST= STAGING= PLUGINS=all RUNTIME=true TRAIN_SYSTEM=false
for a in "$@"; do
  case "$a" in
    --dist=*) DIST=${a#*=} ;;
    --staging=*) STAGING=${a#*=} ;;
    --plugins=*) PLUGINS=${a#*=} ;;
    --runtime=*) RUNTIME=${a#*=} ;;
    --train-system-jdks=*) TRAIN_SYSTEM=${a#*=} ;;
    *) echo "assemble.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done
[ -n "$DIST" ] && [ -d "$STAGING" ] || { echo "assemble.sh: --dist and --staging (a directory) are required" >&2; exit 2; }
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)

# ---- the plugin set ----------------------------------------------------------------------------
valid=$(cd "$ROOT/plugins" && for d in */; do [ -f "$d/pom.xml" ] && echo "${d%/}"; done)
case "$PLUGINS" in ""|all|'${berth.plugins}') chosen=$valid ;; *) chosen=$(echo "$PLUGINS" | tr ', ' '\n\n' | sed '/^$/d' | sort -u) ;; esac
for p in $chosen; do
  if ! grep -qx "$p" <<< "$valid"; then # not echo | grep -q: under pipefail, grep quitting early can fail the pipe (SIGPIPE)
    echo "assemble.sh: unknown plugin '$p' in berth.plugins; valid names: $(echo $valid | tr ' ' ',') (or all)" >&2
    exit 1
  fi
done
# module names follow the directory names: runtime-crun is berth.runtime.crun
roots="berth.cli org.slf4j.simple org.slf4j.jdk.platform.logging"
for p in $chosen; do roots="$roots berth.${p//-/.}"; done

# a JDK for the build-time helpers: the newest found (the jlink one below)
jdks=
for j in /usr/lib/jvm/temurin-2[5-9]-jdk-* /usr/lib/jvm/java-2[5-9]-openjdk-* /usr/lib/jvm/java-17-openjdk-*; do
  [ -x "$j/bin/java" ] && jdks="$jdks $j"
done
tooljdk=
for j in $jdks ${JAVA_HOME:-}; do [ -x "$j/bin/java" ] && tooljdk=$j && break; done
[ -n "$tooljdk" ] || { echo "assemble.sh: no JDK found under /usr/lib/jvm or JAVA_HOME" >&2; exit 1; }

rm -rf "$DIST/bin" "$DIST/lib" "$DIST/runtime"
mkdir -p "$DIST/bin" "$DIST/lib/native"
closure=$("$tooljdk/bin/java" "$SRC/ModuleClosure.java" "$STAGING" $roots)
for jar in $(echo "$closure" | sed -n 's/^jar //p'); do cp "$jar" "$DIST/lib/"; done
# the Docker API (berth system service) and Jetty, whatever the plugin set, in lib/api: the CLI
# loads them in a layer of its own, and the boot layer's module path (lib) stays as it was, so no
# other command scans or resolves them
mkdir -p "$DIST/lib/api"
api=$("$tooljdk/bin/java" "$SRC/ModuleClosure.java" "$STAGING" berth.api.docker)
for jar in $(echo "$api" | sed -n 's/^jar //p'); do
  [ -f "$DIST/lib/$(basename "$jar")" ] || cp "$jar" "$DIST/lib/api/"
done
jdkmods=$( (echo "$closure"; echo "$api") | sed -n 's/^jdk //p' | sort -u)
echo "plugins: $(echo $chosen | tr ' ' ',')"
echo "lib: $(cd "$DIST/lib" && ls *.jar | tr '\n' ' ')"
echo "lib/api: $(cd "$DIST/lib/api" && ls *.jar | tr '\n' ' ')"
install -m 0755 "$SRC/bin/berth" "$DIST/bin/berth"
# configurations shipped beside the binaries (podman-host.conf: berth at podman's paths)
rm -rf "$DIST/share"; mkdir -p "$DIST/share"
install -m 0644 "$SRC"/share/*.conf "$DIST/share/"

# ---- native libraries --------------------------------------------------------------------------
ARCH=$(uname -m)
case "$ARCH" in x86_64) JARCH=linux-x86-64;; aarch64) JARCH=linux-aarch64;; *) JARCH=linux-$ARCH;; esac
for jar in "$DIST"/lib/jna-*.jar; do
  [ -f "$jar" ] && (cd "$DIST/lib/native" && unzip -o -q -j "$jar" "com/sun/jna/$JARCH/libjnidispatch.so")
done
# sqlite-jdbc's library, installed: the launcher points org.sqlite.lib.path here, so no command
# extracts or hashes it (see plugins/state-sqlite NativeLibraryCache)
for jar in "$DIST"/lib/sqlite-jdbc-*.jar; do
  [ -f "$jar" ] && (cd "$DIST/lib/native" && unzip -o -q -j "$jar" "org/sqlite/native/Linux/$ARCH/libsqlitejdbc.so")
done

# ---- the Java runtime image --------------------------------------------------------------------
if [ "$RUNTIME" = true ]; then
  # the newest JDK that can link: JDK 25 makes the AOT cache (it links from its own run-time image
  # when it has no jmods), else JDK 17 (AppCDS)
  made=
  for j in $jdks; do
    [ -x "$j/bin/jlink" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release")
    # the JDK modules the jars need: those their descriptors require, those their classes use
    # (jdeps; JNA and RE2/J have no descriptor), and jdk.unsupported (JNA, the CLI's signal handling)
    mods=$("$j/bin/jdeps" --multi-release "$v" --ignore-missing-deps --print-module-deps \
      --module-path "$DIST/lib" --add-modules ALL-MODULE-PATH)
    mods=$(echo "$mods,jdk.unsupported" $jdkmods | tr ', ' '\n\n' | sed '/^$/d' | sort -u | paste -sd,)
    if [ "$v" -ge 21 ]; then compress=zip-6; else compress=2; fi
    rm -rf "$DIST/runtime"
    if "$j/bin/jlink" --add-modules "$mods" --output "$DIST/runtime" \
        --strip-debug --no-man-pages --no-header-files --compress="$compress" >"$DIST/jlink.log" 2>&1; then
      made=$j; rm -f "$DIST/jlink.log"; break
    fi
    echo "assemble.sh: jlink of $j failed: $(head -c 400 "$DIST/jlink.log")"; rm -f "$DIST/jlink.log"
  done
  if [ -z "$made" ]; then
    rm -rf "$DIST/runtime"
    echo "assemble.sh: WARNING: no JDK could jlink a runtime image; the distribution uses a system JDK"
  else
    # the JVM's default CDS archive is unused (every command maps berth's own archive); a linked
    # run-time image keeps the JDK's symbol tables, which only crash reports read
    rm -f "$DIST"/runtime/lib/server/classes*.jsa
    if command -v strip >/dev/null; then
      find "$DIST/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec strip -p --strip-unneeded {} +
    fi
    echo "runtime: JDK $v ($made), modules $mods, $(du -sh "$DIST/runtime" | cut -f1)"
  fi
fi

# ---- class archives ----------------------------------------------------------------------------
# train.sh ships in lib/: an archive works only where it was made, so the Debian package and whoever
# unpacks the tarball train again in place
install -m 0755 "$SRC/train.sh" "$DIST/lib/train.sh"
if [ "${BERTH_SKIP_TRAINING:-}" = 1 ]; then echo "assembled $DIST (no class archive)"; exit 0; fi
sys=; [ "$TRAIN_SYSTEM" = true ] && sys=--system-jdks
"$DIST/lib/train.sh" $sys "$DIST" || [ "${BERTH_TRAIN_LENIENT:-}" = 1 ] \
  || { echo "assemble.sh: training failed (BERTH_TRAIN_LENIENT=1 lets the build go on)" >&2; exit 1; }
echo "assembled $DIST"
