#!/usr/bin/env bash
# Two berth builds side by side, interleaved run by run, so that the machine's drift falls on both:
# for a refactoring, "did it get slower?". Prints medians and new/old ratios.
# Usage: bench/ab.sh OLD_BERTH NEW_BERTH [RUNS]   (default 30; needs root and scripts/setup-host.sh)
# Example: git worktree add /tmp/old HEAD~5 && (cd /tmp/old && mvn -q -DskipTests package -pl distribution -am)
#          bench/ab.sh /tmp/old/distribution/target/berth/bin/berth distribution/target/berth/bin/berth
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$1 NEW=$2 RUNS=${3:-30}
W=$(mktemp -d /var/tmp/berth-ab.XXXXXX)
trap 'for b in "$OLD" "$NEW"; do "$b" --root $W/$(basename $(dirname $(dirname $b)))/root --runroot $W/x/run rm -a -f -t 0 >/dev/null 2>&1 || true; done; pkill -f "$W" || true; rm -rf "$W"' EXIT
scripts/make-rootfs.sh "$W/rootfs" >/dev/null
python3 - "$OLD" "$NEW" "$RUNS" "$W" <<'PY'
import os, statistics, subprocess, sys, time
old, new, runs, w = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
r = w + "/rootfs"
def cli(b, tag):
    return [b, "--root", f"{w}/{tag}/root", "--runroot", f"{w}/{tag}/run"]
cases = {
    "run --rm true": lambda c: c + ["run", "--rm", "--network", "none", "--rootfs", r, "true"],
    "create": lambda c: c + ["create", "--network", "none", "--rootfs", r, "true"],
    "version": lambda c: c + ["version"],
    "ps -a (after the creates)": lambda c: c + ["ps", "-a"],
}
def once(argv):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000
print(f"{'command':28} {'old ms':>8} {'new ms':>8} {'new/old':>8}   (medians of {runs}, interleaved)")
for name, argv in cases.items():
    a, b = cli(old, "old"), cli(new, "new")
    for _ in range(3):
        once(argv(a)); once(argv(b))
    ta, tb = [], []
    for i in range(runs):
        pair = [(argv(a), ta), (argv(b), tb)]
        if i % 2:
            pair.reverse()
        for cmd, into in pair:
            into.append(once(cmd))
    ma, mb = statistics.median(ta), statistics.median(tb)
    print(f"{name:28} {ma:8.1f} {mb:8.1f} {mb / ma:7.2f}x")
PY
