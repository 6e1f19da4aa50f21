#!/usr/bin/env bash
# Builds berth and runs a container: the README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
$sudo scripts/setup-host.sh
mvn -q -B -DskipTests -Dberth.packages.skip=true package
rootfs=${BERTH_ROOTFS:-/var/tmp/berth-rootfs}
[ -x "$rootfs/bin/sh" ] || $sudo scripts/make-rootfs.sh "$rootfs"
echo "+ berth run --rm --network none --rootfs $rootfs sh -c 'echo hello from berth in \$(hostname); uname -a'"
$sudo distribution/target/berth/bin/berth run --rm --network none --rootfs "$rootfs" \
  sh -c 'echo hello from berth in $(hostname); uname -a'
echo "berth is at $(pwd)/distribution/target/berth/bin/berth"
