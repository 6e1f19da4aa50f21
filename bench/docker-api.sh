#!/usr/bin/env bash
# A container's whole life through berth's Docker API (berth system service) and through podman's
# (podman system service), in one run on one machine, with the same busybox image and the real docker
# CLI: `docker run --rm IMAGE true` (the issue's figure) on the default network and with --network none.
# Prints hyperfine's medians and the ratio berth/podman (target: <= 0.7). podman 4.3.1 on this kernel
# needs explicit ulimits in containers.conf (shared/seeds/README.md); without them its containers fail
# with exit 126, which is why an earlier version of this script found podman's side broken.
# Usage: bench/docker-api.sh [RUNS]    (default 100; root, hyperfine, podman, skopeo, umoci, docker CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-100}
BERTH=${BERTH:-$(pwd)/distribution/target/berth/bin/berth}
[ -x "$BERTH" ] || { echo "build berth first: mvn -q -DskipTests package" >&2; exit 1; }
for b in hyperfine podman skopeo umoci docker; do command -v $b >/dev/null || { echo "missing $b: see scripts/setup-host.sh" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-api-bench.XXXXXX)
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf
B="$BERTH --root $W/b/root --runroot $W/b/run"
P="podman --root $W/p/root --runroot $W/p/run --tmpdir $W/p/tmp --cgroup-manager cgroupfs --events-backend file"
trap 'kill $BPID $PPID_ 2>/dev/null || true; DOCKER_HOST=unix://$W/b.sock docker rm -f $(DOCKER_HOST=unix://$W/b.sock docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true;
      $B rm -a -f -t 0 >/dev/null 2>&1 || true; $B system reset -f >/dev/null 2>&1 || true; $P rm -a -f >/dev/null 2>&1 || true;
      $P system reset -f >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
BPID= PPID_=
scripts/make-test-image.sh "$W/layout" bench 0 >/dev/null
skopeo copy -q "oci:$W/layout:bench" "docker-archive:$W/image.tar:localhost/bench/busybox:1"
$B load -q -i "$W/image.tar" >/dev/null
$P load -q -i "$W/image.tar" >/dev/null
$B system service --time 0 "unix://$W/b.sock" 2>"$W/b.log" & BPID=$!
$P system service --time 0 "unix://$W/p.sock" 2>"$W/p.log" & PPID_=$!
for s in b p; do for i in $(seq 1 100); do [ -S "$W/$s.sock" ] && break; sleep 0.2; done; done
for net in default none; do
  flag=; [ $net = none ] && flag="--network none"
  run="docker run --rm $flag localhost/bench/busybox:1 true"
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/r-$net.json" \
    -n berth "env DOCKER_HOST=unix://$W/b.sock $run" -n podman "env DOCKER_HOST=unix://$W/p.sock $run" >/dev/null
  python3 - "$W/r-$net.json" "$run" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
b, p = r["berth"]["median"], r["podman"]["median"]
print(f"{sys.argv[2]}: berth {b*1000:.1f} ms, podman {p*1000:.1f} ms (medians of {len(r['berth']['times'])}); berth/podman = {b/p:.2f}")
PY
done
