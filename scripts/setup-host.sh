#!/usr/bin/env bash
# Installs what berth and its tests need on a Debian 12 machine, idempotently: the OCI runtimes,
# conmon, networking, podman (for interoperability checks and the benchmark), busybox-static (test
# root filesystems), Go and bbolt (the BoltDB format checker), the shells and man tools the completion
# and man-page tests drive, docker-compose (the Docker API tests; they also need a docker CLI on PATH, a static
# client installed apart, e.g. /usr/local/bin/docker),
# and the crun cgroup fix-up.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "setup-host.sh: run as root (it installs packages and mounts a cgroup hierarchy)" >&2
  exit 1
fi
packages="conmon runc crun runsc docker-registry docker-compose skopeo umoci openssl slirp4netns passt containernetworking-plugins netavark aardvark-dns busybox-static catatonit podman golang-github-containers-common
  iptables iproute2 util-linux procps tmux bsdutils unzip golang-go golang-github-coreos-bbolt-dev hyperfine
  zsh fish groff-base man-db"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup-host.sh: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# crun fails on this kernel's hybrid cgroup layout (v1 controllers + a v2 "unified" mount) unless
# hugetlb has a v1 hierarchy of its own
if [ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb 2>/dev/null; then
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi
# the portmap plugin publishes 127.0.0.1 ports through DNAT, which needs route_localnet
sysctl -q -w net.ipv4.ip_forward=1 >/dev/null 2>&1 || true
echo "setup-host.sh: ready"
