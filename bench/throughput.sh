#!/usr/bin/env bash
# Throughput alone (the end of bench/run.sh, with CPU figures): 4 CLIs at once, each running 10
# `run --rm --network none true` one after another, podman 4.3.1 and berth in alternating rounds.
# Usage: bench/throughput.sh [ROUNDS]   (default 3; root, podman; BERTH=path/to/bin/berth)
# Prints per round the wall time and the CPU time of everything the round ran (the CLIs, conmon,
# the runtime, the exit commands; from a cgroup), and at the end the medians, the rates, their ratio,
# and the bound that the CPU time puts on the rate on this machine's cores (cores / CPU-seconds per
# container), which no lock change lifts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
BERTH=${BERTH:-$(pwd)/distribution/target/berth/bin/berth}
[ -x "$BERTH" ] || { echo "build berth first" >&2; exit 1; }
for b in podman conmon crun python3; do command -v $b >/dev/null || { echo "missing $b" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-tput.XXXXXX)
trap 'podman --root $W/p/root --runroot $W/p/run rm -a -f >/dev/null 2>&1 || true; $BERTH --root $W/b/root --runroot $W/b/run rm -a -f -t 0 >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
scripts/make-rootfs.sh "$W/rootfs" >/dev/null
R=$W/rootfs
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf
PODMAN="podman --root $W/p/root --runroot $W/p/run --cgroup-manager cgroupfs --events-backend file"
B="$BERTH --root $W/b/root --runroot $W/b/run"
$B run --rm --network none --rootfs "$R" true; $PODMAN run --rm --network none --rootfs "$R" true >/dev/null

# the CPU account: a cgroup holding the CLIs and everything they start (conmon, which daemonizes, and
# its exit command too); podman puts its conmons under the container's cgroup parent, so that is here
CG=tput-$$
if [ -d /sys/fs/cgroup/cpuacct ]; then CGDIR=/sys/fs/cgroup/cpuacct/$CG; USAGE() { echo $(( $(cat $CGDIR/cpuacct.usage) / 1000000 )); }
else CGDIR=/sys/fs/cgroup/$CG; USAGE() { echo $(( $(awk '/^usage_usec/ {print $2}' $CGDIR/cpu.stat) / 1000 )); }; fi
mkdir -p "$CGDIR"
trap 'podman --root $W/p/root --runroot $W/p/run rm -a -f >/dev/null 2>&1 || true; $BERTH --root $W/b/root --runroot $W/b/run rm -a -f -t 0 >/dev/null 2>&1 || true; rm -rf "$W"; for d in /sys/fs/cgroup/*/$CG /sys/fs/cgroup/$CG; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done; true' EXIT

# one round: prints "wall-ms cpu-ms" (the cgroup's CPU time over the round)
conc() {
  local c0 t0 t1
  c0=$(USAGE); t0=$(date +%s%N)
  bash -c 'echo $$ > '"$CGDIR"'/cgroup.procs
    for i in 1 2 3 4; do ( for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done ) & done; wait' _ "$@"
  t1=$(date +%s%N)
  sleep 1 # the last exit commands (conmon's cleanup) finish
  echo "$(( (t1 - t0) / 1000000 )) $(( $(USAGE) - c0 ))"
}
pw=(); pc=(); bw=(); bc=()
for i in $(seq "$ROUNDS"); do
  read -r w c < <(conc $PODMAN run --rm --cgroup-parent /$CG --network none --rootfs "$R" true); pw+=("$w"); pc+=("$c")
  read -r w c < <(conc $B run --rm --network none --rootfs "$R" true); bw+=("$w"); bc+=("$c")
  echo "round $i: podman ${pw[-1]} ms wall, ${pc[-1]} ms CPU; berth ${bw[-1]} ms wall, ${bc[-1]} ms CPU"
done
python3 - "$(nproc)" "${pw[*]}" "${pc[*]}" "${bw[*]}" "${bc[*]}" <<'PY'
import statistics, sys
cores = int(sys.argv[1]); pw, pc, bw, bc = (statistics.median(int(x) for x in a.split()) for a in sys.argv[2:6])
n = 40
print("4 CLIs x 10 run --rm: podman %d ms (%.1f/s), berth %d ms (%.1f/s), berth's rate / podman's %.2fx"
      % (pw, n * 1000 / pw, bw, n * 1000 / bw, pw / bw))
print("CPU per container (everything the round ran): podman %.0f ms, berth %.0f ms; on %d cores that bounds the rate at"
      " podman %.1f/s, berth %.1f/s (%.2fx podman's measured rate)"
      % (pc / n, bc / n, cores, cores * 1000 / (pc / n), cores * 1000 / (bc / n), (cores * 1000 / (bc / n)) / (n * 1000 / pw)))
PY
