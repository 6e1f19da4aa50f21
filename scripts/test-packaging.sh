#!/usr/bin/env bash
# Tests berth's packaging (run as root after `mvn verify`, by scripts/test.sh): a distribution with a
# chosen plugin set, the self-contained tarball on a machine without a reachable JDK, and the Debian
# package installed, used and purged. Prints a PASS/FAIL line per check and a summary; exits 1 when
# any check failed.
#
# The Debian package installs /etc/berth/containers.conf, which every berth reads by default: it is
# installed only here, after the main test suite, and purged on exit whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "test-packaging.sh: run as root (containers, unshare, apt-get)" >&2; exit 1; fi
repo=$(pwd)
target=$repo/distribution/target
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)
debversion=${version//-/\~}
arch=$(uname -m) debarch=$(dpkg --print-architecture)
tarball=$target/berth-$version-linux-$arch.tar.gz
deb=$target/berth_${debversion}_$debarch.deb
rootfs=${BERTH_ROOTFS:-/var/tmp/berth-rootfs}
[ -x "$rootfs/bin/sh" ] || scripts/make-rootfs.sh "$rootfs"
T=$(mktemp -d /tmp/berth-packaging.XXXXXX)
deb_installed=
cleanup() {
  if [ -n "$deb_installed" ]; then apt-get purge -y -qq berth >/dev/null 2>&1 || dpkg --purge berth >/dev/null 2>&1; fi
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0 failed=0 summary=
# check NAME COMMAND...: runs the command, its output kept in $T/out; PASS when it succeeds
check() {
  local name=$1; shift
  if "$@" > "$T/out" 2>&1; then
    passed=$((passed + 1)); summary="$summary
PASS  $name"; echo "PASS  $name"
  else
    failed=$((failed + 1)); summary="$summary
FAIL  $name"; echo "FAIL  $name"; sed 's/^/      | /' "$T/out" | tail -40
  fi
}
# the plugin lines of `berth info` as "SPI ID"
plugins_of() { "$1" --root "$T/info-root" --runroot "$T/info-run" info | sed -n '/^plugins:/,$p' | awk 'NR > 2 && NF { print $1, $2 }'; }
# archive_maps BERTH [WRAPPER]: the JVM must map the class archive (else it fails to start)
archive_maps() {
  local b=$1 home flag; shift; home=$(dirname "$(dirname "$(readlink -f "$b")")")
  if grep -q '^JAVA_VERSION="2[5-9]' "$home/runtime/release"; then flag=-XX:AOTMode=on; else flag=-Xshare:on; fi
  "$@" env BERTH_JAVA_OPTS=$flag "$b" version && "$@" env BERTH_JAVA_OPTS=$flag "$b" --root "$T/root" --runroot "$T/run" \
    run --rm --network none --rootfs "$rootfs" true
}
hi() { # BERTH ARGS...: runs echo hi in a container, wants "hi"
  local b=$1; shift
  out=$("$b" --root "$T/root" --runroot "$T/run" "$@" run --rm --network none --rootfs "$rootfs" echo hi) || return 1
  echo "$out"; [ "$out" = hi ]
}

# ---- the full distribution and its packages (made by mvn verify; made here when missing) --------
if [ ! -x "$target/berth/bin/berth" ] || [ ! -f "$tarball" ] || [ ! -f "$deb" ]; then
  echo "== building the full distribution"
  mvn -B -q -DskipTests package -pl distribution -am || { echo "FAIL  build of the full distribution"; exit 1; }
fi

# ---- 1. choosing plugins ------------------------------------------------------------------------
# every plugin directory provides one provider
nplugins=$(ls "$(dirname "$0")"/../plugins/*/pom.xml | wc -l)
full_plugins() {
  plugins_of "$target/berth/bin/berth" > "$T/p"; cat "$T/p"
  [ "$(wc -l < "$T/p")" = "$nplugins" ]
}
check "full distribution: berth info lists all $nplugins plugins" full_plugins
check "full distribution: the JVM maps the class archives trained at build time (version, run)" archive_maps "$target/berth/bin/berth"
unknown_plugin() {
  ! bash distribution/src/assemble.sh --dist="$T/bogus" --staging="$target/staging-lib" --plugins=runtime-crun,runtime-nope \
    > "$T/bogus.log" 2>&1 || return 1
  cat "$T/bogus.log"; grep -q "unknown plugin 'runtime-nope'.*valid names: hooks-oci,.*state-sqlite" "$T/bogus.log"
}
check "an unknown plugin name fails, listing the valid names" unknown_plugin

minimal=$target/berth-minimal
echo "== building a minimal distribution (runtime-crun, state-file) in $minimal"
check "minimal build: mvn -Dberth.plugins=runtime-crun,state-file -Dberth.dist.dir=target/berth-minimal" \
  mvn -B -q -DskipTests package -pl distribution -am -Dberth.plugins=runtime-crun,state-file -Dberth.dist.dir="$minimal" \
    -Dberth.packages.skip=true -Dberth.train.system.jdks=false
minimal_lib() {
  ls "$minimal/lib"
  for j in berth-cli berth-engine berth-kernel berth-support berth-oci-support berth-runtime-crun berth-state-file jna; do
    ls "$minimal"/lib/$j-[0-9]*.jar >/dev/null 2>&1 || { echo "missing: $j"; return 1; }
  done
  # the Docker API (and Jetty) go with the CLI whatever the plugin set, off the boot module path
  for j in berth-docker-api jetty-server jetty-unixdomain-server; do
    ls "$minimal"/lib/api/$j-[0-9]*.jar >/dev/null 2>&1 || { echo "missing: api/$j"; return 1; }
  done
  for j in berth-runtime-runc berth-runtime-runsc berth-state-sqlite berth-state-bolt berth-bolt-support berth-network-cni berth-network-netavark \
           berth-network-slirp4netns berth-network-pasta berth-hooks-oci sqlite-jdbc re2j; do
    ! ls "$minimal"/lib/$j-[0-9]*.jar >/dev/null 2>&1 || { echo "should not be there: $j"; return 1; }
  done
  [ -f "$minimal/lib/berth-runtime.aot" ] || [ -f "$minimal/lib/berth-runtime.jsa" ] || { echo "no class archive trained"; return 1; }
  # the full distribution is untouched
  ls "$target"/berth/lib/berth-state-sqlite-*.jar >/dev/null
}
check "minimal distribution: only the chosen plugins' jars (no sqlite-jdbc, no re2j), a trained archive" minimal_lib
minimal_info() {
  plugins_of "$minimal/bin/berth" > "$T/p"; cat "$T/p"
  [ "$(printf 'OciRuntimeProvider crun\nStateStoreProvider file')" = "$(cat "$T/p")" ]
}
check "minimal distribution: berth info lists exactly runtime crun and state file" minimal_info
check "minimal distribution: berth run --rm --network none echo hi" hi "$minimal/bin/berth"
no_backend() {
  ! "$minimal/bin/berth" --root "$T/root" --runroot "$T/run" run --rm --rootfs "$rootfs" echo hi > "$T/nb" 2>&1 || return 1
  cat "$T/nb"; grep -q "needs a network backend" "$T/nb" && grep -q -- "--network none" "$T/nb"
}
check "minimal distribution: the default bridge mode fails naming the missing network backend" no_backend

# ---- 2. the self-contained tarball --------------------------------------------------------------
tar_dir=$T/tar/berth-$version
check "tarball $(basename "$tarball") unpacks" tar -C "$T" --one-top-level=tar -xzf "$tarball"
# no JDK is reachable: /usr/lib/jvm is hidden under an empty tmpfs (so /usr/bin/java dangles), and
# the environment is empty (no JAVA_HOME, no BERTH_JAVA_HOME)
nojdk() { unshare -m sh -c 'mount -t tmpfs none /usr/lib/jvm && exec "$@"' sh env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
tar_run() {
  nojdk sh -c '! java -version 2>/dev/null' || { echo "a JDK is still reachable"; return 1; }
  out=$(nojdk "$tar_dir/bin/berth" --root "$T/root" --runroot "$T/run" run --rm --network none --rootfs "$rootfs" echo hi) || return 1
  echo "$out"; [ "$out" = hi ]
}
check "tarball: berth run with env -i and no JDK reachable" tar_run
tar_java() {
  nojdk BERTH_JAVA_OPTS=-XshowSettings:properties "$tar_dir/bin/berth" version > "$T/props" 2>&1 || { cat "$T/props"; return 1; }
  grep 'java.home = ' "$T/props"; grep -qx "    java.home = $tar_dir/runtime" "$T/props"
}
check "tarball: the java used is the bundled runtime ($tar_dir/runtime)" tar_java
tar_native() {
  out=$(nojdk "$tar_dir/bin/berth" --root "$T/sq-root" --runroot "$T/sq-run" --db-backend sqlite \
    run --rm --network none --rootfs "$rootfs" echo hi) || return 1
  echo "sqlite: $out"; [ "$out" = hi ] || return 1
  out=$(nojdk "$tar_dir/bin/berth" --root "$T/bolt-root" --runroot "$T/bolt-run" --db-backend boltdb \
    run --rm --network none --rootfs "$rootfs" echo hi) || return 1
  echo "boltdb: $out"; [ "$out" = hi ]
}
check "tarball: sqlite-jdbc's and JNA's native libraries load (sqlite and boltdb state)" tar_native
tar_archive() {
  ! ls "$tar_dir"/lib/berth-*.aot "$tar_dir"/lib/berth-*.jsa 2>/dev/null || { echo "the tarball holds class archives"; return 1; }
  nojdk "$tar_dir/lib/train.sh" || return 1
  archive_maps "$tar_dir/bin/berth" nojdk
}
check "tarball: lib/train.sh trains the class archive in place, and the JVM maps it" tar_archive

# ---- 3. the Debian package ----------------------------------------------------------------------
deb_meta() {
  dpkg-deb -I "$deb" > "$T/info" && dpkg-deb -c "$deb" > "$T/contents" || return 1
  cat "$T/info"
  for f in "Package: berth" "Version: $debversion" "Architecture: $debarch" "Depends: libc6, conmon, crun | runc" \
           "Recommends: containernetworking-plugins, netavark, aardvark-dns, slirp4netns, passt, runsc" "Maintainer: " "Description: "; do
    grep -q "^ *$f" "$T/info" || { echo "control lacks: $f"; return 1; }
  done
  [ "$(dpkg-deb -f "$deb" Package)" = berth ] || return 1
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/berth/containers.conf || { echo "no conffiles entry"; return 1; }
  for f in ./usr/lib/berth/bin/berth ./usr/lib/berth/runtime/bin/java ./usr/lib/berth/lib/berth-cli- \
           ./usr/bin/berth ./etc/berth/containers.conf ./usr/lib/systemd/system/berth-restart.service \
           ./usr/share/bash-completion/completions/berth ./usr/share/man/man1/berth.1.gz; do
    grep -q " $f" "$T/contents" || { echo "missing in the package: $f"; return 1; }
  done
  grep -q '/usr/bin/berth -> /usr/lib/berth/bin/berth' "$T/contents" || { echo "/usr/bin/berth is no link"; return 1; }
}
check "deb: control, conffiles and contents" deb_meta

if dpkg-query -W -f='${Status}' berth 2>/dev/null | grep -q "install ok installed"; then
  check "deb: berth is not installed before the test" false
else
  deb_install() {
    deb_installed=1
    apt-get install -y -q --no-install-recommends "$deb"
  }
  check "deb: apt-get install ./$(basename "$deb") (offline)" deb_install
  deb_run() {
    readlink /usr/bin/berth
    out=$(cd / && berth --root "$T/deb-root" --runroot "$T/deb-run" run --rm --network none --rootfs "$rootfs" echo hi) || return 1
    echo "$out"; [ "$out" = hi ] || return 1
    [ "$(command -v berth)" = /usr/bin/berth ] || return 1
    archive_maps /usr/bin/berth || { echo "no class archive trained by postinst"; return 1; }
    /usr/bin/berth --root "$T/deb-root" --runroot "$T/deb-run" info | grep "configFile: /etc/berth/containers.conf"
  }
  check "deb: /usr/bin/berth run --rm --network none echo hi (reads /etc/berth/containers.conf; postinst's archive maps)" deb_run
  deb_purge() {
    apt-get purge -y -q berth || return 1
    deb_installed=
    for p in /usr/lib/berth /usr/bin/berth /etc/berth; do
      if [ -e "$p" ] || [ -L "$p" ]; then echo "left behind: $p"; return 1; fi
    done
  }
  check "deb: apt-get purge removes /usr/lib/berth, /usr/bin/berth and /etc/berth" deb_purge
fi

echo
echo "== packaging tests:$summary"
echo "== $passed passed, $failed failed"
[ "$failed" = 0 ]
