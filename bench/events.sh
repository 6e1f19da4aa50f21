#!/usr/bin/env bash
# events benchmark, beside podman 4.3.1 on this machine: `events --stream=false` over a log of N
# events (default 10,000), the same file read by both (podman's file backend format, which berth
# writes and reads). The log mixes what a day of use writes: container lifecycles with labels,
# exec sessions, images, volumes and networks. Two readings: every event, and a filtered one
# (--filter type=container --filter event=died: podman's filters, so both do the same work).
# Prints hyperfine medians (ms) and berth/podman.
# Usage: bench/events.sh [RUNS] [EVENTS]     (default 20 and 10000; root, hyperfine, podman)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
N=${2:-10000}
BERTH=${BERTH:-$(pwd)/distribution/target/berth/bin/berth}
[ -x "$BERTH" ] || { echo "build berth first: mvn -q -DskipTests package" >&2; exit 1; }
for b in hyperfine podman python3; do command -v $b >/dev/null || { echo "missing $b: run scripts/setup-host.sh" >&2; exit 1; }; done
W=$(mktemp -d /var/tmp/berth-evbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
LOG=$W/events.log
python3 - "$LOG" "$N" <<'PY'
import json, random, sys, datetime
path, n = sys.argv[1], int(sys.argv[2])
random.seed(14)
t = datetime.datetime(2026, 12, 1, 8, 0, 0, tzinfo=datetime.timezone.utc)
def ts():
    global t
    t += datetime.timedelta(microseconds=random.randint(1000, 900000), )
    ns = random.randint(0, 999)
    s = t.strftime("%Y-%m-%dT%H:%M:%S") + (".%06d%03d" % (t.microsecond, ns)).rstrip("0")
    return (s[:-1] if s.endswith(".") else s) + "Z"
def hexid():
    return "%064x" % random.getrandbits(256)
# field order and omissions as podman's json.Marshal of events.Event writes them
def ctr(status, cid, name, labels, code=0):
    e = {}
    if code:
        e["ContainerExitCode"] = code
    e.update({"ID": cid, "Image": "quay.io/libpod/testimage:20221018", "Name": name, "Status": status, "Time": ts(), "Type": "container",
              "Attributes": labels})
    return e
lines = []
i = 0
while len(lines) < n:
    i += 1
    cid, name = hexid(), "c%d" % i
    labels = {"app": random.choice(["web", "db", "cache"]), "io.buildah.version": "1.27.0", "tier": str(i % 7)}
    for s in ["create", "init", "start", "attach"]:
        lines.append(ctr(s, cid, name, labels))
    if i % 3 == 0:
        lines.append(ctr("exec", cid, name, labels))
        lines.append(ctr("exec_died", cid, name, labels))
    lines.append(ctr("died", cid, name, labels, code=random.choice([0, 0, 1, 137])))
    lines.append(ctr("cleanup", cid, name, labels))
    lines.append(ctr("remove", cid, name, labels))
    if i % 10 == 0:
        lines.append({"ID": hexid(), "Name": "quay.io/libpod/alpine:latest", "Status": "pull", "Time": ts(), "Type": "image", "Attributes": None})
        lines.append({"Name": "vol%d" % i, "Status": "create", "Time": ts(), "Type": "volume", "Attributes": None})
        lines.append({"ID": cid, "Name": name, "network": "podman", "Status": "connect", "Time": ts(), "Type": "network", "Attributes": None})
with open(path, "w") as f:
    for e in lines[:n]:
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
PY
printf '[engine]\nevents_logger = "file"\nevents_logfile_path = "%s"\n' "$LOG" > "$W/containers.conf"
export CONTAINERS_CONF=$W/containers.conf
PODMAN="podman --root $W/p/root --runroot $W/p/run --events-backend file"
B="$BERTH --root $W/b/root --runroot $W/b/run --config $W/containers.conf"
echo "log: $(wc -l < "$LOG") events, $(du -k "$LOG" | cut -f1) KB"
# both must print the same events before anything is timed (as JSON: podman's default line lists a
# container's labels in Go's random map order)
$PODMAN events --stream=false --format json > "$W/podman.txt"
$B events --stream=false --format json > "$W/berth.txt"
if ! cmp -s "$W/podman.txt" "$W/berth.txt"; then
  echo "berth and podman print different events:" >&2; diff "$W/podman.txt" "$W/berth.txt" | head -5 >&2; exit 1
fi
F="--filter type=container --filter event=died"
$PODMAN events --stream=false --format json $F > "$W/podman-f.txt"
$B events --stream=false --format json $F > "$W/berth-f.txt"
cmp -s "$W/podman-f.txt" "$W/berth-f.txt" || { echo "filtered output differs" >&2; exit 1; }
hyperfine -N -w 3 -r "$RUNS" --export-json "$W/h.json" \
  -n "podman events --stream=false" "$PODMAN events --stream=false" \
  -n "berth events --stream=false" "$B events --stream=false" \
  -n "podman events --stream=false (filtered)" "$PODMAN events --stream=false $F" \
  -n "berth events --stream=false (filtered)" "$B events --stream=false $F" >/dev/null
python3 - "$W/h.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = {x["command"]: (x["median"] * 1000, (x["user"] + x["system"]) * 1000) for x in res}
print(f"{'case':44} {'median ms':>10} {'cpu ms (mean)':>14}")
for k, (m, c) in r.items():
    print(f"{k:44} {m:10.1f} {c:14.1f}")
for case in ["", " (filtered)"]:
    p, b = r["podman events --stream=false" + case], r["berth events --stream=false" + case]
    print(f"berth/podman{case}: {b[0] / p[0]:.2f}x wall, {b[1] / p[1]:.2f}x cpu")
PY
