#!/usr/bin/env bash
# Packages an assembled berth distribution (assemble.sh) for machines without a JDK:
#   OUT/berth-VERSION-linux-ARCH.tar.gz  berth-VERSION/{bin,lib,runtime}: unpack anywhere, run bin/berth
#   OUT/berth_DEBVERSION_DEBARCH.deb     /usr/lib/berth/{bin,lib,runtime}, /usr/bin/berth,
#                                        /etc/berth/containers.conf (a conffile), bash completion, man pages
# No class archive goes in: an archive records the absolute paths of the jars and works only where it
# was made. The deb's postinst trains one in /usr/lib/berth (lib/train.sh); whoever unpacks the
# tarball may run berth-VERSION/lib/train.sh. The deb is built with dpkg-deb alone (no network, no
# debhelper).
#
#   package.sh --dist=DIR --out=DIR --version=MAVEN_VERSION
set -euo pipefail
SRC=$(cd "$(dirname "$0")" && pwd)
DIST= OUT= VERSION=
for a in "$@"; do
  case "$a" in
    --dist=*) DIST=${a#*=} ;;
    --out=*) OUT=${a#*=} ;;
    --version=*) VERSION=${a#*=} ;;
    *) echo "package.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done
[ -x "$DIST/bin/berth" ] && [ -n "$OUT" ] && [ -n "$VERSION" ] || { echo "package.sh: --dist (assembled), --out and --version are required" >&2; exit 2; }
mkdir -p "$OUT"
DIST=$(cd "$DIST" && pwd) OUT=$(cd "$OUT" && pwd)
[ -x "$DIST/runtime/bin/java" ] || echo "package.sh: WARNING: $DIST has no runtime/ image: the packages need a JDK on the target machine"
work="$OUT/package-work"
rm -rf "$work"
mkdir -p "$work"

# copies the distribution (bin, lib, runtime) to $1, without class archives
copy_dist() {
  mkdir -p "$1"
  cp -a "$DIST/bin" "$DIST/lib" "$1/"
  [ -d "$DIST/share" ] && cp -a "$DIST/share" "$1/"
  [ -d "$DIST/runtime" ] && cp -a "$DIST/runtime" "$1/"
  rm -f "$1"/lib/berth-*.aot "$1"/lib/berth-*.jsa
  chmod -R u+rwX,go+rX,go-w "$1"
}

# ---- tarball -----------------------------------------------------------------------------------
arch=$(uname -m)
name=berth-$VERSION
copy_dist "$work/tar/$name"
tarball="$OUT/$name-linux-$arch.tar.gz"
tar -C "$work/tar" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"
echo "package.sh: $tarball ($(du -h "$tarball" | cut -f1))"

# ---- Debian package ----------------------------------------------------------------------------
if ! command -v dpkg-deb >/dev/null; then
  echo "package.sh: WARNING: dpkg-deb not found, no .deb built"
  rm -rf "$work"
  exit 0
fi
debarch=$(dpkg --print-architecture)
# Debian sorts ~ before anything, so 0.1.0~SNAPSHOT comes before 0.1.0; a '-' would start a revision
debversion=${VERSION//-/\~}
root="$work/deb"
copy_dist "$root/usr/lib/berth"
mkdir -p "$root/usr/bin" "$root/etc/berth" "$root/DEBIAN"
ln -s /usr/lib/berth/bin/berth "$root/usr/bin/berth"
install -m 0644 "$SRC/deb/containers.conf" "$root/etc/berth/containers.conf"
mkdir -p "$root/usr/share/berth"
install -m 0644 "$SRC"/share/*.conf "$root/usr/share/berth/"
# bash completion and man pages come from the CLI itself; a CLI without those commands is packaged
# without them
berth() { "$DIST/bin/berth" --root "$work/state" --runroot "$work/run" "$@"; }
mkdir -p "$root/usr/share/bash-completion/completions"
if berth completion bash > "$work/completion" 2>"$work/completion.err" && [ -s "$work/completion" ]; then
  install -m 0644 "$work/completion" "$root/usr/share/bash-completion/completions/berth"
else
  echo "package.sh: WARNING: 'berth completion bash' failed, no bash completion in the package: $(head -c 300 "$work/completion.err")"
  rmdir "$root/usr/share/bash-completion/completions" "$root/usr/share/bash-completion"
fi
mkdir -p "$work/man"
if berth generate-man-pages "$work/man" >/dev/null 2>"$work/man.err" && ls "$work"/man/berth*.1 >/dev/null 2>&1; then
  mkdir -p "$root/usr/share/man/man1"
  for m in "$work"/man/berth*.1; do gzip -9n < "$m" > "$root/usr/share/man/man1/$(basename "$m").gz"; done
  chmod 0644 "$root"/usr/share/man/man1/*
else
  echo "package.sh: WARNING: 'berth generate-man-pages' failed, no man pages in the package: $(head -c 300 "$work/man.err")"
fi
# the boot unit: containers with restart policy always (and unless-stopped ones) come back at boot
mkdir -p "$root/usr/lib/systemd/system"
install -m 0644 "$SRC/systemd/berth-restart.service" "$root/usr/lib/systemd/system/berth-restart.service"

# dependencies from the plugins this distribution holds
has() { ls "$DIST"/lib/berth-"$1"-*.jar >/dev/null 2>&1; }
runtimes=
for r in crun runc; do has "runtime-$r" && runtimes="${runtimes:+$runtimes | }$r"; done
depends="libc6"
if [ -n "$runtimes" ]; then depends="$depends, conmon, $runtimes"
elif has runtime-runsc; then depends="$depends, conmon, runsc"; fi
recommends=
has network-cni && recommends="containernetworking-plugins"
has network-netavark && recommends="${recommends:+$recommends, }netavark, aardvark-dns"
has network-slirp4netns && recommends="${recommends:+$recommends, }slirp4netns"
has network-pasta && recommends="${recommends:+$recommends, }passt"
has runtime-runsc && [ -n "$runtimes" ] && recommends="${recommends:+$recommends, }runsc"
recommends="${recommends:+$recommends, }catatonit"   # run --init
plugins=$(cd "$DIST/lib" && ls berth-*.jar | sed -n 's/^berth-\(runtime\|state\|network\|hooks\)-\(.*\)-'"$VERSION"'\.jar$/\1-\2/p' | tr '\n' ' ')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
{
  echo "Package: berth"
  echo "Version: $debversion"
  echo "Architecture: $debarch"
  echo "Maintainer: berth developers <berth@berth.invalid>"
  echo "Installed-Size: $size"
  echo "Depends: $depends"
  [ -z "$recommends" ] || echo "Recommends: $recommends"
  echo "Section: admin"
  echo "Priority: optional"
  echo "Description: daemonless OCI container engine"
  echo " berth creates, runs and manages containers through OCI runtimes (crun, runc,"
  echo " gVisor's runsc) driven by conmon, keeps their state in a pluggable store and"
  echo " networks them with CNI or slirp4netns: podman's engine as a small Java kernel"
  echo " plus plugins. It brings its own Java runtime (/usr/lib/berth/runtime)."
  echo " ."
  echo " Plugins in this package: $plugins"
} > "$root/DEBIAN/control"
echo "/etc/berth/containers.conf" > "$root/DEBIAN/conffiles"
# the class archives are made in place at install time and are no package files: removed before
# the package's files go
cat > "$root/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  echo "berth: training the class archives in /usr/lib/berth/lib (start-up time)"
  /usr/lib/berth/lib/train.sh /usr/lib/berth >/var/tmp/berth-train.log 2>&1 \
    && rm -f /var/tmp/berth-train.log \
    || echo "berth: training failed (see /var/tmp/berth-train.log); berth works, but starts slower" >&2
fi
exit 0
SH
cat > "$root/DEBIAN/prerm" <<'SH'
#!/bin/sh
set -e
case "$1" in
  remove|upgrade|deconfigure) rm -f /usr/lib/berth/lib/berth-*.aot /usr/lib/berth/lib/berth-*.jsa ;;
esac
exit 0
SH
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root"/DEBIAN/*
chmod 0755 "$root"/DEBIAN/postinst "$root"/DEBIAN/prerm
deb="$OUT/berth_${debversion}_${debarch}.deb"
dpkg-deb --root-owner-group -Zxz -z6 --build "$root" "$deb" >/dev/null
echo "package.sh: $deb ($(du -h "$deb" | cut -f1))"
rm -rf "$work"
