#!/usr/bin/env bash
# Volume benchmark beside podman 4.3.1 on this machine: `volume ls` over 1000 volumes (hyperfine
# medians, ms, and the berth/podman ratio), berth on each state backend named in BACKENDS.
# Usage: bench/volumes.sh [RUNS] [COUNT]      (default 20 and 1000; root, hyperfine, podman)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
COUNT=${2:-1000}
BACKENDS=${BACKENDS:-"sqlite file boltdb"}
BERTH=${BERTH:-$(pwd)/distribution/target/berth/bin/berth}
[ -x "$BERTH" ] || { echo "build berth first: mvn -q -DskipTests package" >&2; exit 1; }
for b in hyperfine podman python3; do command -v $b >/dev/null || { echo "missing $b: run scripts/setup-host.sh" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-volbench.XXXXXX)
PODMAN="podman --root $W/p/root --runroot $W/p/run --cgroup-manager cgroupfs --events-backend file"
cleanup() {
  $PODMAN volume rm -a -f >/dev/null 2>&1 || true; $PODMAN system reset -f >/dev/null 2>&1 || true
  for db in $BACKENDS; do "$BERTH" --root "$W/b-$db/root" --runroot "$W/b-$db/run" --db-backend "$db" system reset -f >/dev/null 2>&1 || true; done
  rm -rf "$W"
}
trap cleanup EXIT
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf

median() { python3 -c "import json,statistics; print('%.1f' % (statistics.median(json.load(open('$1'))['results'][0]['times'])*1000))"; }
ratio() { python3 -c "print('%.2fx' % ($2/$1))"; }

# the volumes, each with a label, made by one command each, PAR at a time (setup, not measured)
PAR=${PAR:-8}
make_volumes() { seq 1 "$COUNT" | xargs -P "$PAR" -I{} sh -c "$1 volume create --label n={} vol{} >/dev/null"; }
make_volumes "$PODMAN"
echo "podman volumes: $($PODMAN volume ls -q | wc -l)"
hyperfine -N -w 3 -r "$RUNS" --export-json "$W/ls-p.json" "$PODMAN volume ls" >/dev/null 2>&1
pp=$(median "$W/ls-p.json")
for db in $BACKENDS; do
  B="$BERTH --root $W/b-$db/root --runroot $W/b-$db/run --db-backend $db"
  make_volumes "$B"
  n=$($B volume ls -q | wc -l)
  [ "$n" -eq "$COUNT" ] || { echo "berth ($db) lists $n volumes, not $COUNT" >&2; exit 1; }
  hyperfine -N -w 3 -r "$RUNS" --export-json "$W/ls-$db.json" "$B volume ls" >/dev/null 2>&1
  pb=$(median "$W/ls-$db.json")
  echo "volume ls over $COUNT volumes: podman $pp ms, berth ($db) $pb ms, berth/podman $(ratio "$pp" "$pb")"
done
