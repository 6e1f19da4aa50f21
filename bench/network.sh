#!/usr/bin/env bash
# Network benchmark (issues 7 and 18): wall time of `run --rm ROOTFS true` per network, for berth and
# for podman, side by side in one run on one busybox-static rootfs. Runs are interleaved (one of each
# row per round) so that machine noise hits all of them alike; each figure is the median of RUNS
# rounds after WARMUP unmeasured ones.
#
#   bench/network.sh [RUNS=15] [WARMUP=2]
#
# Rows are a table (see `row` below): a name, a requirement (a row whose backend is not installed is
# skipped with the reason printed) and a command. Ratios pair a berth row with a podman row; a pair
# with a skipped side is skipped too. BERTH_BASELINE=/path/to/other/bin/berth adds "baseline ..." rows
# for a second berth build in the same rounds (before/after figures under the same noise).
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
BERTH_BASELINE=${BERTH_BASELINE:-}
[ "$(id -u)" = 0 ] || { echo "bench/network.sh: run as root" >&2; exit 1; }
[ -x "$BERTH_BIN" ] || { echo "bench/network.sh: $BERTH_BIN missing: mvn -q -Dmaven.test.skip=true package -pl distribution -am" >&2; exit 1; }
for t in podman /usr/lib/cni/bridge; do
  command -v "$t" >/dev/null || { echo "bench/network.sh: $t missing" >&2; exit 1; }
done

T=$(mktemp -d /tmp/berth-netbench.XXXXXX)
bridges_before=$(ls /sys/class/net)
sh "$here/scripts/make-rootfs.sh" "$T/rootfs" >/dev/null
R=$T/rootfs
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$T/containers.conf"
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n[network]\nnetwork_backend = "netavark"\n' > "$T/containers-netavark.conf"
export CONTAINERS_CONF=$T/containers.conf

B=("$BERTH_BIN" --root "$T/berth/root" --runroot "$T/berth/run")
BB=("${BERTH_BASELINE:-true}" --root "$T/baseline/root" --runroot "$T/baseline/run")
P=(podman --root "$T/podman/root" --runroot "$T/podman/run" --cgroup-manager cgroupfs --events-backend file)
PC=(podman --root "$T/podman-cni/root" --runroot "$T/podman-cni/run" --cgroup-manager cgroupfs --events-backend file --network-backend cni)

cleanup() {
  "${B[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
  [ -z "$BERTH_BASELINE" ] || "${BB[@]}" rm -a -f -t 0 >/dev/null 2>&1 || true
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

# --- requirements: each prints why its row cannot run, or nothing ---------------------------------
have() { command -v "$1" >/dev/null || echo "$1 is not installed"; }
berth_plugin() { # a berth network plugin in the distribution's lib/
  ls "$(dirname "$BERTH_BIN")/../lib/" 2>/dev/null | grep -q "^berth-network-$1-" || echo "berth has no $1 network plugin"
}
baseline() { [ -n "$BERTH_BASELINE" ] || echo "BERTH_BASELINE is not set"; }
podman_at_least() { # podman 4.4 brought pasta
  v=$(podman --version | awk '{print $3}')
  [ "$(printf '%s\n%s\n' "$1" "$v" | sort -V | head -1)" = "$1" ] || echo "podman $v predates $1"
}

# --- the rows: name | requirement | command --------------------------------------------------------
names=() needs=() cmds=()
row() { names+=("$1"); needs+=("$2"); cmds+=("$3"); }
row "berth none"               ""                                   '"${B[@]}" run --rm --network none --rootfs "$R" true'
row "berth bridge"             ""                                   '"${B[@]}" run --rm --network bridge --rootfs "$R" true'
row "berth bridge (netavark)"  "berth_plugin netavark; have /usr/lib/podman/netavark" \
    'CONTAINERS_CONF=$T/containers-netavark.conf "${B[@]}" run --rm --network bridge --rootfs "$R" true'
row "berth slirp4netns"        "have slirp4netns"                   '"${B[@]}" run --rm --network slirp4netns --rootfs "$R" true'
row "berth pasta"              "berth_plugin pasta; have pasta"     '"${B[@]}" run --rm --network pasta --rootfs "$R" true'
row "baseline none"            "baseline"                           '"${BB[@]}" run --rm --network none --rootfs "$R" true'
row "baseline bridge"          "baseline"                           '"${BB[@]}" run --rm --network bridge --rootfs "$R" true'
row "baseline slirp4netns"     "baseline; have slirp4netns"         '"${BB[@]}" run --rm --network slirp4netns --rootfs "$R" true'
row "podman none"              ""                                   '"${P[@]}" run --rm --network none --rootfs "$R" true'
row "podman bridge (netavark)" "have /usr/lib/podman/netavark"      '"${P[@]}" run --rm --network bridge --rootfs "$R" true'
row "podman bridge (cni)"      ""                                   '"${PC[@]}" run --rm --network bridge --rootfs "$R" true'
row "podman slirp4netns"       "have slirp4netns"                   '"${P[@]}" run --rm --network slirp4netns --rootfs "$R" true'
row "podman pasta"             "podman_at_least 4.4; have pasta"                       '"${P[@]}" run --rm --network pasta --rootfs "$R" true'

# --- ratios: label | berth row | podman row ---------------------------------------------------------
pairs=(
  "none|berth none|podman none"
  "bridge vs podman netavark|berth bridge|podman bridge (netavark)"
  "bridge vs podman cni|berth bridge|podman bridge (cni)"
  "bridge (netavark) vs podman netavark|berth bridge (netavark)|podman bridge (netavark)"
  "slirp4netns|berth slirp4netns|podman slirp4netns"
  "pasta|berth pasta|podman pasta"
  "baseline bridge vs podman cni|baseline bridge|podman bridge (cni)"
  "baseline slirp4netns|baseline slirp4netns|podman slirp4netns"
)

echo "podman: $(podman --version); default network backend: $("${P[@]}" info --format '{{.Host.NetworkBackend}}')"
echo "berth:  $("$BERTH_BIN" --version 2>/dev/null || echo "$BERTH_BIN"); runtime crun for both"
[ -z "$BERTH_BASELINE" ] || echo "baseline: $BERTH_BASELINE"
echo "rounds: $RUNS measured after $WARMUP warm-up; load: $(cut -d' ' -f1-3 /proc/loadavg); cpus: $(nproc)"

declare -A skip index
for i in "${!names[@]}"; do
  index[${names[$i]}]=$i
  reason=""
  if [ -n "${needs[$i]}" ]; then reason=$(eval "${needs[$i]}" | head -1); fi
  if [ -n "$reason" ]; then
    skip[$i]=$reason
    [[ ${names[$i]} == baseline* ]] || echo "skipped: ${names[$i]}: $reason"
  fi
done

declare -A times
for ((round = 0; round < WARMUP + RUNS; round++)); do
  for i in "${!names[@]}"; do
    [ -z "${skip[$i]:-}" ] || continue
    start=$(date +%s%N)
    if ! out=$(eval "${cmds[$i]}" 2>&1); then
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
  [ -z "${skip[$i]:-}" ] || continue
  med[$i]=$(median <<<"${times[$i]}")
  read -r mn mx <<<"$(minmax <<<"${times[$i]}")"
  printf '%-26s %10.1f %10.1f %10.1f\n' "${names[$i]}" "$(bc -l <<<"${med[$i]}/1000")" "$(bc -l <<<"$mn/1000")" "$(bc -l <<<"$mx/1000")"
done
measured() { [ -n "${med[${index[$1]}]:-}" ]; }
ms() { echo "${med[${index[$1]}]}"; }
echo
echo "berth / podman (median; < 1 means berth is faster):"
for p in "${pairs[@]}"; do
  IFS='|' read -r label a b <<<"$p"
  if measured "$a" && measured "$b"; then
    printf '  %-38s %.2f\n' "$label" "$(bc -l <<<"$(ms "$a")/$(ms "$b")")"
  fi
done
echo "network cost over the same engine's none (median ms):"
for i in "${!names[@]}"; do
  name=${names[$i]}
  [[ $name == *" none" ]] && continue
  none="${name%% *} none"
  if measured "$name" && measured "$none"; then
    printf '  %-38s %.1f\n' "$name" "$(bc -l <<<"($(ms "$name")-$(ms "$none"))/1000")"
  fi
done

# nothing may be left behind by either engine
left=$("${B[@]}" ps -a -q; "${P[@]}" ps -a -q; grep -c "$T/berth/run/netns/" /proc/self/mountinfo || true)
if [ "$(tr -d '0\n' <<<"$left")" != "" ]; then
  echo "bench/network.sh: left behind: $left" >&2
  exit 1
fi
