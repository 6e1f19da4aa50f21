#!/usr/bin/env bash
# Network benchmark (issue 7): wall time of `run --rm ROOTFS true` with --network none, a bridge
# network and slirp4netns, for berth and for podman, side by side in one run on one busybox-static
# rootfs. Runs are interleaved (one of each configuration per round) so that machine noise hits all
# of them alike; each figure is the median of RUNS rounds after WARMUP unmeasured ones.
#
#   bench/network.sh [RUNS=15] [WARMUP=2]
#
# Needs root, the assembled distribution (mvn -q -Dmaven.test.skip=true package -pl distribution -am),
# podman, slirp4netns and the CNI plugins. berth's bridge is its default network `berth` (CNI: bridge,
# portmap, firewall, tuning); podman's bridge is measured with its default backend here (netavark,
# /usr/lib/podman/netavark) and with `--network-backend cni` (/etc/cni/net.d/87-podman-bridge.conflist).
# Everything it creates lives under a temporary directory and is removed at the end, with the bridges
# it brought up.
set -euo pipefail
RUNS=${1:-15}
WARMUP=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
BERTH_BIN=${BERTH_BIN:-$here/distribution/target/berth/bin/berth}
[ "$(id -u)" = 0 ] || { echo "bench/network.sh: run as root" >&2; exit 1; }
[ -x "$BERTH_BIN" ] || { echo "bench/network.sh: $BERTH_BIN missing: mvn -q -Dmaven.test.skip=true package -pl distribution -am" >&2; exit 1; }
for t in podman slirp4netns /usr/lib/cni/bridge; do
  command -v "$t" >/dev/null || { echo "bench/network.sh: $t missing" >&2; exit 1; }
done

T=$(mktemp -d /tmp/berth-netbench.XXXXXX)
bridges_before=$(ls /sys/class/net)
sh "$here/scripts/make-rootfs.sh" "$T/rootfs" >/dev/null
R=$T/rootfs
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$T/containers.conf"
export CONTAINERS_CONF=$T/containers.conf

B=("$BERTH_BIN" --root "$T/berth/root" --runroot "$T/berth/run")
P=(podman --root "$T/podman/root" --runroot "$T/podman/run" --cgroup-manager cgroupfs --events-backend file)
PC=(podman --root "$T/podman-cni/root" --runroot "$T/podman-cni/run" --cgroup-manager cgroupfs --events-backend file --network-backend cni)

cleanup() {
  "${B[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  "${P[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  "${PC[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  grep -o " $T[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for dev in $(ls /sys/class/net); do
    if ! grep -qx "$dev" <<<"$bridges_before" && [ -d "/sys/class/net/$dev/bridge" ] \
        && [ -z "$(ls "/sys/class/net/$dev/brif")" ] && [[ $dev == berth* || $dev == *podman* ]]; then
      ip link del "$dev" 2>/dev/null || true
    fi
  done
  rm -rf "$T"
}
trap cleanup EXIT

names=("berth none" "berth bridge" "berth slirp4netns" "podman none" "podman bridge (netavark)" "podman bridge (cni)" "podman slirp4netns")
cmd() {
  case $1 in
    0) "${B[@]}" run --rm --network none --rootfs "$R" true ;;
    1) "${B[@]}" run --rm --network bridge --rootfs "$R" true ;;
    2) "${B[@]}" run --rm --network slirp4netns --rootfs "$R" true ;;
    3) "${P[@]}" run --rm --network none --rootfs "$R" true ;;
    4) "${P[@]}" run --rm --network bridge --rootfs "$R" true ;;
    5) "${PC[@]}" run --rm --network bridge --rootfs "$R" true ;;
    6) "${P[@]}" run --rm --network slirp4netns --rootfs "$R" true ;;
  esac
}

echo "podman: $(podman --version); default network backend: $("${P[@]}" info --format '{{.Host.NetworkBackend}}')"
echo "berth:  $("$BERTH_BIN" --version 2>/dev/null || echo "$BERTH_BIN"); runtime crun for both"
echo "rounds: $RUNS measured after $WARMUP warm-up; load: $(cut -d' ' -f1-3 /proc/loadavg); cpus: $(nproc)"

declare -A times
for ((round = 0; round < WARMUP + RUNS; round++)); do
  for i in "${!names[@]}"; do
    start=$(date +%s%N)
    if ! out=$(cmd "$i" 2>&1); then
      echo "bench/network.sh: ${names[$i]} failed: $out" >&2
      exit 1
    fi
    end=$(date +%s%N)
    if ((round >= WARMUP)); then
      times[$i]+="$(((end - start) / 1000)) "
    fi
  done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
minmax() { tr ' ' '\n' | grep . | sort -n | awk 'NR==1{mn=$1} {mx=$1} END {print mn, mx}'; }
declare -A med
printf '\n%-26s %10s %10s %10s\n' "run --rm true" "median ms" "min ms" "max ms"
for i in "${!names[@]}"; do
  med[$i]=$(median <<<"${times[$i]}")
  read -r mn mx <<<"$(minmax <<<"${times[$i]}")"
  printf '%-26s %10.1f %10.1f %10.1f\n' "${names[$i]}" "$(bc -l <<<"${med[$i]}/1000")" "$(bc -l <<<"$mn/1000")" "$(bc -l <<<"$mx/1000")"
done
ratio() { printf '%.2f' "$(bc -l <<<"$1/$2")"; }
echo
echo "berth / podman (median; < 1 means berth is faster):"
printf '  %-34s %s\n' "none" "$(ratio "${med[0]}" "${med[3]}")"
printf '  %-34s %s\n' "bridge vs podman netavark" "$(ratio "${med[1]}" "${med[4]}")"
printf '  %-34s %s\n' "bridge vs podman cni" "$(ratio "${med[1]}" "${med[5]}")"
printf '  %-34s %s\n' "slirp4netns" "$(ratio "${med[2]}" "${med[6]}")"
echo "network cost over none (median ms):"
printf '  %-34s %.1f\n' "berth bridge" "$(bc -l <<<"(${med[1]}-${med[0]})/1000")"
printf '  %-34s %.1f\n' "berth slirp4netns" "$(bc -l <<<"(${med[2]}-${med[0]})/1000")"
printf '  %-34s %.1f\n' "podman bridge (netavark)" "$(bc -l <<<"(${med[4]}-${med[3]})/1000")"
printf '  %-34s %.1f\n' "podman bridge (cni)" "$(bc -l <<<"(${med[5]}-${med[3]})/1000")"
printf '  %-34s %.1f\n' "podman slirp4netns" "$(bc -l <<<"(${med[6]}-${med[3]})/1000")"

# nothing may be left behind by either engine
left=$("${B[@]}" ps -a -q; "${P[@]}" ps -a -q; grep -c "$T/berth/run/netns/" /proc/self/mountinfo || true)
if [ "$(tr -d '0\n' <<<"$left")" != "" ]; then
  echo "bench/network.sh: left behind: $left" >&2
  exit 1
fi
