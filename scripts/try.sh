#!/usr/bin/env bash
# Builds berth and runs a container from an image it builds and loads itself, offline: the README's
# first command. The image is a busybox root filesystem, tarred and turned into an image by
# `berth import`; then `berth run --rm IMAGE` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
$sudo scripts/setup-host.sh
mvn -q -B -DskipTests -Dberth.packages.skip=true package
berth=distribution/target/berth/bin/berth
rootfs=${BERTH_ROOTFS:-/var/tmp/berth-rootfs}
[ -x "$rootfs/bin/sh" ] || $sudo scripts/make-rootfs.sh "$rootfs"
if ! $sudo "$berth" image exists localhost/busybox:latest; then
  echo "+ tar -C $rootfs -c . | berth import - localhost/busybox:latest"
  tar -C "$rootfs" -c . | $sudo "$berth" import -c 'CMD ["/bin/sh"]' - localhost/busybox:latest
fi
echo "+ berth run --rm --network none busybox sh -c 'echo hello from berth in \$(hostname); uname -a'"
$sudo "$berth" run --rm --network none busybox sh -c 'echo hello from berth in $(hostname); uname -a'
echo "berth is at $(pwd)/$berth"
