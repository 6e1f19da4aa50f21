#!/usr/bin/env bash
# Side-by-side benchmark, one run, same machine, same rootfs: the bare runtime, conmon + runtime
# driven by hand, podman 4.3.1 and berth, for crun and runc. Prints medians and ratios.
# Usage: bench/run.sh [RUNS]        (default 20; needs root, hyperfine, podman: scripts/setup-host.sh)
#        podman and berth run in alternating rounds of five, so that the machine's drift hits both.
# Env:   BENCH_PS=N  also time `ps -a` over N containers for berth and podman (default 200, 0 = skip)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
PSN=${BENCH_PS:-200}
BERTH=${BERTH:-$(pwd)/distribution/target/berth/bin/berth}
[ -x "$BERTH" ] || { echo "build berth first: mvn -q -DskipTests package" >&2; exit 1; }
for b in hyperfine podman conmon crun runc python3; do command -v $b >/dev/null || { echo "missing $b: run scripts/setup-host.sh" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-bench.XXXXXX)
# on any exit: remove podman's and berth's containers, end conmons an interrupted run left, then the files
trap '$PODMAN_CLEAN rm -a -f >/dev/null 2>&1 || true; $BERTH --root $W/b/root --runroot $W/b/run rm -a -f -t 0 >/dev/null 2>&1 || true; pkill -f "$W" || true; rm -rf "$W"' EXIT
PODMAN_CLEAN="podman --root $W/p/root --runroot $W/p/run"
scripts/make-rootfs.sh "$W/rootfs"
R=$W/rootfs
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf
PODMAN="podman --root $W/p/root --runroot $W/p/run --cgroup-manager cgroupfs --events-backend file"
B="$BERTH --root $W/b/root --runroot $W/b/run"

# a bundle for the bare runtime and conmon runs
mkdir -p "$W/bundle"
(cd "$W/bundle" && crun spec && R="$R" python3 - <<'PY'
import json, os; c=json.load(open("config.json")); c["process"]["args"]=["/bin/true"]; c["process"]["terminal"]=False
c["root"]["path"]=os.environ["R"]  # runc wants an absolute path, not a symlink
json.dump(c, open("config.json","w"))
PY
)
cat > "$W/conmon-run.sh" <<'SH'
#!/bin/sh
# conmon + runtime, as an engine drives them: create under conmon, start, wait for the exit file, delete
rt=$1; w=$2; id=c$$
rm -rf "$w/x/$id"; mkdir -p "$w/x/$id/exits" "$w/x/$id/persist"
conmon --api-version 1 -c $id -u $id -r /usr/bin/$rt -b "$w/bundle" -p "$w/x/$id/pid" -n $id \
  --exit-dir "$w/x/$id/exits" --persist-dir "$w/x/$id/persist" --full-attach --socket-dir-path "$w/x/$id" \
  -l none --runtime-arg --root --runtime-arg "$w/x/rt" >/dev/null 2>&1
# without a sync pipe conmon returns at once: the runtime's pid file says the create is done
while [ ! -s "$w/x/$id/pid" ]; do sleep 0.001; done
$rt --root "$w/x/rt" start $id
while [ ! -f "$w/x/$id/exits/$id" ]; do sleep 0.001; done
$rt --root "$w/x/rt" delete -f $id
rm -rf "$w/x/$id"
SH
chmod +x "$W/conmon-run.sh"

bench() { # name, command...
  local name=$1; shift
  hyperfine -N -w 3 -r "$RUNS" --export-json "$W/$name.json" "$*" >"$W/$name.log" 2>&1 || { echo "$name failed: $*" >&2; cat "$W/$name.log" >&2; return 1; }
  python3 -c "import json,sys; r=json.load(open('$W/$name.json'))['results'][0]; print('%.1f' % (r['median']*1000))"
}

# pair NAME "podman command" "berth command": both in alternating rounds of 5 runs, so that drift in
# the machine's load falls on both alike; prints "podman-median berth-median" over all RUNS of each
pair() {
  local name=$1 a=$2 b=$3 rounds=$(( (RUNS + 4) / 5 )) i
  for i in $(seq "$rounds"); do
    hyperfine -N -w 1 -r 5 --export-json "$W/$name.$i.json" "$a" "$b" >"$W/$name.log" 2>&1 \
      || { echo "$name failed: $a / $b" >&2; cat "$W/$name.log" >&2; return 1; }
  done
  python3 - "$W" "$name" "$rounds" <<'PY'
import json, statistics, sys
w, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = [[], []]
for i in range(1, rounds + 1):
    for k, r in enumerate(json.load(open(f"{w}/{name}.{i}.json"))["results"]):
        times[k] += r["times"]
print("%.1f %.1f" % tuple(statistics.median(t) * 1000 for t in times))
PY
}

# warm everything once (page cache, berth's first-use directories, podman's storage)
$B run --rm --network none --rootfs "$R" true; $PODMAN run --rm --network none --rootfs "$R" true >/dev/null

echo "runs per figure: $RUNS (medians, ms)"
printf '%-8s %10s %14s %10s %10s %14s %14s\n' runtime bare conmon+rt podman berth berth/podman berth/conmon
for rt in crun runc; do
  bare=$(bench bare-$rt $rt run --bundle "$W/bundle" b$rt)
  cm=$(bench conmon-$rt "$W/conmon-run.sh" $rt "$W")
  read -r pm be < <(pair run-$rt "$PODMAN run --rm --runtime $rt --network none --rootfs $R true" \
    "$B run --rm --runtime $rt --network none --rootfs $R true")
  printf '%-8s %10s %14s %10s %10s %14s %14s\n' $rt $bare $cm $pm $be \
    "$(python3 -c "print('%.2fx' % ($be/$pm))")" "$(python3 -c "print('%.2fx' % ($be/$cm))")"
done

echo
read -r pm be < <(pair create "$PODMAN create --network none --rootfs $R true" "$B create --network none --rootfs $R true")
echo "create --network none: podman $pm ms, berth $be ms, berth/podman $(python3 -c "print('%.2fx' % ($be/$pm))")"
read -r pm be < <(pair version "$PODMAN version" "$B version")
echo "version (start-up): podman $pm ms, berth $be ms, berth/podman $(python3 -c "print('%.2fx' % ($be/$pm))")"
# CPU and peak RSS of the CLI and the runtime calls it waits for (bench/rusage.py says what is counted)
{ read -r pc pr; read -r bc br; } < <(bench/rusage.py "$RUNS" "$PODMAN run --rm --network none --rootfs $R true" \
  "$B run --rm --network none --rootfs $R true")
echo "CPU of run --rm true: podman $pc ms, berth $bc ms, berth/podman $(python3 -c "print('%.2fx' % ($bc/$pc))")"
echo "peak RSS of run --rm true: podman $pr MiB, berth $br MiB, berth/podman $(python3 -c "print('%.2fx' % ($br/$pr))")"

# throughput: 4 CLIs at once, each running 10 `run --rm true` one after another; podman and berth in
# alternating rounds; the median wall time of a round gives each one's containers per second
conc() { # command...
  local t0 t1 i
  t0=$(date +%s%N)
  for i in 1 2 3 4; do ( for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done ) & done
  wait
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
pt=(); bt=()
for i in 1 2 3; do
  pt+=("$(conc $PODMAN run --rm --network none --rootfs "$R" true)")
  bt+=("$(conc $B run --rm --network none --rootfs "$R" true)")
done
python3 - "${pt[*]}" "${bt[*]}" <<'PY'
import statistics, sys
p = statistics.median(int(x) for x in sys.argv[1].split()); b = statistics.median(int(x) for x in sys.argv[2].split())
print("4 CLIs x 10 run --rm at once: podman %d ms (%.1f/s), berth %d ms (%.1f/s), berth's rate / podman's %.2fx"
      % (p, 40000 / p, b, 40000 / b, p / b))
PY

if [ "$PSN" -gt 0 ]; then
  have=$($B ps -a -q | wc -l)
  for i in $(seq $((have + 1)) "$PSN"); do $B create --network none --rootfs "$R" true >/dev/null; done
  have=$($PODMAN ps -a -q | wc -l)
  for i in $(seq $((have + 1)) "$PSN"); do $PODMAN create --network none --rootfs "$R" true >/dev/null; done
  read -r pm be < <(pair ps "$PODMAN ps -a" "$B ps -a")
  echo "ps -a with $PSN containers: podman $pm ms, berth $be ms, berth/podman $(python3 -c "print('%.2fx' % ($be/$pm))")"
  read -r pm be < <(pair run-many "$PODMAN run --rm --network none --rootfs $R true" "$B run --rm --network none --rootfs $R true")
  echo "run --rm with $PSN containers present: podman $pm ms, berth $be ms, berth/podman $(python3 -c "print('%.2fx' % ($be/$pm))")"
  t0=$(date +%s%N); $PODMAN rm -a >/dev/null; t1=$(date +%s%N); $B rm -a >/dev/null; t2=$(date +%s%N)
  echo "rm -a of $PSN containers (one run): podman $(( (t1-t0)/1000000 )) ms, berth $(( (t2-t1)/1000000 )) ms"
fi
