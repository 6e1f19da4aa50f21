#!/usr/bin/env bash
# Where the JVM's floor lies for berth's start-up targets: podman's `version` and `create` beside a
# Java hello world started exactly as berth starts (the same bundled runtime, the same launcher
# flags, an AOT cache trained for it) and beside berth's own commands, in alternating rounds.
# A hello world prints one line and exits: no berth code runs in it, so whatever berth does can
# only add to its figures.
# Usage: bench/floor.sh [RUNS]   (default 20; needs hyperfine, podman, a built distribution)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
DIST=${DIST:-$(pwd)/distribution/target/berth}
BERTH=$DIST/bin/berth
JAVA=$DIST/runtime/bin/java
[ -x "$BERTH" ] && [ -x "$JAVA" ] || { echo "build berth first: mvn -q -DskipTests package" >&2; exit 1; }
for b in hyperfine podman python3; do command -v $b >/dev/null || { echo "missing $b: run scripts/setup-host.sh" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-floor.XXXXXX)
trap '$PODMAN rm -a -f >/dev/null 2>&1 || true; $B rm -a -f -t 0 >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf
PODMAN="podman --root $W/p/root --runroot $W/p/run --cgroup-manager cgroupfs --events-backend file"
B="$BERTH --root $W/b/root --runroot $W/b/run"
scripts/make-rootfs.sh "$W/rootfs"

# the hello world, compiled for the bundled runtime and given its own AOT cache, as train.sh does for berth
mkdir -p "$W/hello/src"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$W/hello/src/Hello.java"
javac_home=$(ls -d /usr/lib/jvm/temurin-25-jdk-* 2>/dev/null | head -1)
"${javac_home:-/usr}/bin/javac" --release 17 -d "$W/hello/classes" "$W/hello/src/Hello.java"
# a class archive takes jars only, not directories
"${javac_home:-/usr}/bin/jar" --create --file "$W/hello.jar" -C "$W/hello/classes" .
FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -XX:-UsePerfData -Xlog:disable"
"$JAVA" $FLAGS -XX:AOTMode=record -XX:AOTConfiguration="$W/hello.aotconf" -cp "$W/hello.jar" Hello >/dev/null
"$JAVA" $FLAGS -XX:AOTMode=create -XX:AOTConfiguration="$W/hello.aotconf" -XX:AOTCache="$W/hello.aot" -cp "$W/hello.jar" Hello >/dev/null
HELLO="$JAVA $FLAGS -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -XX:AOTCache=$W/hello.aot -cp $W/hello.jar Hello"

# three commands in alternating rounds of 5 runs; prints their medians (ms)
trio() {
  local name=$1 rounds=$(( (RUNS + 4) / 5 )) i; shift
  for i in $(seq "$rounds"); do
    hyperfine -N -w 1 -r 5 --export-json "$W/$name.$i.json" "$@" >"$W/$name.log" 2>&1 \
      || { echo "$name failed" >&2; cat "$W/$name.log" >&2; return 1; }
  done
  python3 - "$W" "$name" "$rounds" <<'PY'
import json, statistics, sys
w, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = None
for i in range(1, rounds + 1):
    res = json.load(open(f"{w}/{name}.{i}.json"))["results"]
    times = times or [[] for _ in res]
    for k, r in enumerate(res):
        times[k] += r["times"]
print(" ".join("%.1f" % (statistics.median(t) * 1000) for t in times))
PY
}
ratio() { python3 -c "print('%.2fx' % ($1/$2))"; }

$B version >/dev/null; $PODMAN version >/dev/null
echo "runs per figure: $RUNS (medians)"
printf '%-34s %10s %12s %10s %16s %16s\n' what podman hello-world berth hello/podman berth/podman
read -r p h b < <(trio version "$PODMAN version" "$HELLO" "$B version")
printf '%-34s %10s %12s %10s %16s %16s\n' "version (ms)" "$p" "$h" "$b" "$(ratio "$h" "$p")" "$(ratio "$b" "$p")"
read -r p h b < <(trio create "$PODMAN create --network none --rootfs $W/rootfs true" "$HELLO" \
  "$B create --network none --rootfs $W/rootfs true")
printf '%-34s %10s %12s %10s %16s %16s\n' "create --network none (ms)" "$p" "$h" "$b" "$(ratio "$h" "$p")" "$(ratio "$b" "$p")"
{ read -r pc pr; read -r hc hr; read -r bc br; } < <(bench/rusage.py "$RUNS" \
  "$PODMAN run --rm --network none --rootfs $W/rootfs true" "$HELLO" "$B run --rm --network none --rootfs $W/rootfs true")
printf '%-34s %10s %12s %10s %16s %16s\n' "CPU, run --rm true (ms)" "$pc" "$hc" "$bc" "$(ratio "$hc" "$pc")" "$(ratio "$bc" "$pc")"
printf '%-34s %10s %12s %10s %16s %16s\n' "peak RSS, run --rm true (MiB)" "$pr" "$hr" "$br" "$(ratio "$hr" "$pr")" "$(ratio "$br" "$pr")"
