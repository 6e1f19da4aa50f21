#!/usr/bin/env bash
# Image benchmark, side by side with podman 4.3.1 in one run on this machine (medians, ms, and the
# berth/podman ratio):
#   - pull of a ~100 MB, 4-layer image from Debian's docker-registry on 127.0.0.1 (into an empty store);
#   - run --rm IMAGE true (network none);
#   - images over 100 images.
# Usage: bench/images.sh [RUNS] [SIZE_MB]      (default 10 and 100; root, hyperfine, podman, skopeo,
#        umoci, docker-registry: scripts/setup-host.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
SIZE=${2:-100}
BERTH=${BERTH:-$(pwd)/distribution/target/berth/bin/berth}
[ -x "$BERTH" ] || { echo "build berth first: mvn -q -DskipTests package" >&2; exit 1; }
for b in hyperfine podman skopeo umoci docker-registry python3 curl; do command -v $b >/dev/null || { echo "missing $b: run scripts/setup-host.sh" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-imgbench.XXXXXX)
PODMAN="podman --root $W/p/root --runroot $W/p/run --cgroup-manager cgroupfs --events-backend file"
B="$BERTH --root $W/b/root --runroot $W/b/run"
cleanup() {
  $PODMAN rm -a -f >/dev/null 2>&1 || true; $PODMAN system reset -f >/dev/null 2>&1 || true
  $B system reset -f >/dev/null 2>&1 || true
  [ -n "${REG_PID:-}" ] && kill "$REG_PID" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$W/registry"
cat > "$W/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $W/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
log:
  level: error
YML
docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 & REG_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
REG=127.0.0.1:$port
scripts/make-test-image.sh "$W/layout" big "$SIZE" 3 >/dev/null
scripts/make-test-image.sh "$W/layout" small 0 >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$W/layout:big" "docker://$REG/bench/big:1"
skopeo copy -q --dest-tls-verify=false "oci:$W/layout:small" "docker://$REG/bench/small:1"

ratio() { python3 -c "print('%.2fx' % ($2/$1))"; }
median() { python3 -c "import json,statistics; print('%.1f' % (statistics.median(json.load(open('$1'))['results'][0]['times'])*1000))"; }

# pull into an empty store each time: the store is reset in hyperfine's --prepare
hyperfine -N -r "$RUNS" --prepare "$PODMAN rmi -a -f" --export-json "$W/pull-p.json" \
  "$PODMAN pull -q --tls-verify=false $REG/bench/big:1" >/dev/null 2>&1
hyperfine -N -r "$RUNS" --prepare "$B rmi -a -f" --export-json "$W/pull-b.json" \
  "$B pull -q --tls-verify=false $REG/bench/big:1" >/dev/null 2>&1
pp=$(median "$W/pull-p.json"); pb=$(median "$W/pull-b.json")
echo "pull of a $SIZE MB image from a local registry: podman $pp ms, berth $pb ms, berth/podman $(ratio "$pp" "$pb")"

$PODMAN pull -q --tls-verify=false "$REG/bench/small:1" >/dev/null
$B pull -q --tls-verify=false "$REG/bench/small:1" >/dev/null
$PODMAN run --rm --network none "$REG/bench/small:1" true; $B run --rm --network none "$REG/bench/small:1" true
hyperfine -N -w 2 -r "$RUNS" --export-json "$W/run.json" \
  "$PODMAN run --rm --network none $REG/bench/small:1 true" "$B run --rm --network none $REG/bench/small:1 true" >/dev/null 2>&1
read -r rp rb < <(python3 -c "import json,statistics; r=json.load(open('$W/run.json'))['results']; print(' '.join('%.1f' % (statistics.median(x['times'])*1000) for x in r))")
echo "run --rm IMAGE true: podman $rp ms, berth $rb ms, berth/podman $(ratio "$rp" "$rb")"

# 100 distinct images: small imported tarballs, each with a label of its own
mkdir -p "$W/tiny"; echo tiny > "$W/tiny/file"; tar -C "$W/tiny" -cf "$W/tiny.tar" .
for i in $(seq 1 98); do
  $PODMAN import -q -c "LABEL n=$i" "$W/tiny.tar" "localhost/many/img$i:1" >/dev/null
  $B import -q -c "LABEL n=$i" "$W/tiny.tar" "localhost/many/img$i:1" >/dev/null
done
echo "images: podman $($PODMAN images -q | wc -l), berth $($B images -q | wc -l)"
hyperfine -N -w 2 -r "$RUNS" --export-json "$W/images.json" "$PODMAN images" "$B images" >/dev/null 2>&1
read -r ip ib < <(python3 -c "import json,statistics; r=json.load(open('$W/images.json'))['results']; print(' '.join('%.1f' % (statistics.median(x['times'])*1000) for x in r))")
echo "images over 100 images: podman $ip ms, berth $ib ms, berth/podman $(ratio "$ip" "$ib")"
