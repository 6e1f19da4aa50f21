#!/usr/bin/env bash
# Trains the class archives of a berth distribution on berth's own commands, in place: an AOT cache
# (JDK 25) or AppCDS archive (JDK 17) records the absolute paths of the jars, so it only works where
# it was made. The build runs this (assemble.sh); so does the Debian package's postinst, and so may
# whoever unpacks the tarball (berth-VERSION/lib/train.sh), since their paths differ from the build's.
#
#   train.sh [--system-jdks] [DIST]    (DIST: the distribution, default: the one holding this script)
#
# The bundled runtime (DIST/runtime) gets lib/berth-runtime.aot and lib/berth-runtime-CMD.aot (for
# the hot commands run, create, ps and version alone, run-bare and create-bare for
# those with --rootfs R --network none, and, with the image store and python3, pull,
# from a registry this script serves on 127.0.0.1: the HTTP client, TLS and layer extraction are a
# pull's start-up, and would double the general cache); system JDKs get lib/berth-VERSION.aot /
# .jsa, with --system-jdks or when there is no bundled runtime. Training uses a runtime and a state
# backend of this distribution's plugin set,
# runs real containers (--network none) when it can (root, conmon, the runtime, /bin/busybox), else
# only the commands that need none, and fails when a training command fails.
set -euo pipefail
system=false
[ "${1:-}" = --system-jdks ] && { system=true; shift; }
DIST=${1:-$(cd "$(dirname "$0")/.." && pwd)}
DIST=$(cd "$DIST" && pwd)
has() { ls "$DIST"/lib/berth-"$1"-[0-9]*.jar >/dev/null 2>&1; }
runtime=
for r in crun runc runsc; do has "runtime-$r" && [ -z "$runtime" ] && runtime=$r; done
backend=
for s in file:state-file sqlite:state-sqlite boltdb:state-bolt; do has "${s#*:}" && [ -z "$backend" ] && backend=${s%%:*}; done
work=$(mktemp -d /tmp/berth-train.XXXXXX)
# a detached training container's cleanup may still be writing there: retry, and never fail for it
# the image store bind-mounts its overlay home onto itself (as c/storage does): unmount it first, or
# the mount outlives the training and rm cannot delete the directory
trap 'umount -l "$work/root/overlay" 2>/dev/null || true; rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" 2>/dev/null; } || true' EXIT
script="$work/commands"
# a containers.conf that sets something berth reads (as the benchmark's and most hosts' do), so that
# the TOML reader's classes are in the archives; CONTAINERS_CONF stands in for podman's own files here
cat > "$work/containers.conf" <<'TOML'
# berth's class-cache training
[containers]
default_ulimits = [
  "nofile=20000:20000",    # podman 4.3.1 needs one on such hosts
  "nproc=32768:32768",
]
init = false
TOML
{
  echo "version"
  echo "--help"
  echo "info"
  if [ -n "$backend" ]; then echo "ps -a"; fi
  echo "network ls"
  echo "events --stream=false"
} > "$script"
if [ -n "$runtime" ] && [ -n "$backend" ] && [ "$(id -u)" = 0 ] && [ -x /bin/busybox ] && command -v conmon >/dev/null \
    && command -v "$runtime" >/dev/null; then
  rootfs="$work/rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/root"
  cp /bin/busybox "$rootfs/bin/busybox"
  for a in sh true sleep; do ln -s busybox "$rootfs/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\n' > "$rootfs/etc/group"
  {
    echo "run --rm --network none --rootfs $rootfs true"
    if has runtime-runc && [ "$runtime" != runc ] && command -v runc >/dev/null; then
      echo "run --rm --network none --runtime runc --rootfs $rootfs true"
    fi
    echo "run -d --rm --network none --rootfs $rootfs true"
    # networked runs, where the machine has them: the namespace, the backend's processes and their
    # classes are most of a networked run's start-up (see "Start-up budget" in ARCHITECTURE.md)
    if has network-slirp4netns && command -v slirp4netns >/dev/null && command -v setsid >/dev/null; then
      echo "run --rm --network slirp4netns --rootfs $rootfs true"
    fi
    if has network-cni && [ -x /usr/lib/cni/bridge ] && [ "${BERTH_TRAIN_BRIDGE:-1}" = 1 ]; then
      echo "run --rm --network berth-train --rootfs $rootfs true"
    fi
    echo "create --name train --network none --rootfs $rootfs sleep 30"
    echo "start train"
    echo "ps -a"
    echo "inspect train"
    echo "exec train true"
    echo "stop -t 0 train"
    echo "rm train"
    echo "ps -a --format json"
    echo "ps -a --format {{.ID}}\t{{.Names}}"
    # images, when the set has an image store: import, then run from the image
    if has image-overlay; then
      tar -C "$rootfs" -cf "$work/rootfs.tar" .
      echo "import -q $work/rootfs.tar localhost/train:1"
      echo "images"
      echo "image inspect localhost/train:1"
      echo "run --rm --network none localhost/train:1 true"
      echo "create --name train-image --network none localhost/train:1 true"
      echo "rm train-image"
    fi
    echo "events --stream=false"
    # a container the per-command trainings below find (ps learns to print a row); never removed
    # here, the training root goes as a whole
    echo "rm -f --ignore train-ps"
    echo "create --name train-ps --network none --rootfs $rootfs true"
  } >> "$script"
fi
# the hottest commands get caches trained on themselves alone, which the launcher picks for them
# (volume and events: their benchmarks, volume ls over 1000 volumes and events over 10,000):
# every class in a cache is loaded at start-up, so another command's classes only slow them down
# (version: ~30 ms of CPU less with its own cache than with the whole set's)
hot="run create ps version volume events"
for c in $hot; do
  grep -E "^$c( |\$)" "$script" | grep -v train-ps > "$work/commands-$c" || true
done
# events' own cache also reads a log of 2000 events (over the size that is read on two threads),
# whole, as JSON and filtered: the training root's log is a few lines long, and the classes of the
# paths it does not take (the second thread, a filter's decoded events) were loaded from the jars
awk -v n=2000 'BEGIN {
  for (i = 0; i < n; i++) {
    s = (i % 4 == 3) ? "died" : "start"
    printf "{%s\"ID\":\"%064d\",\"Image\":\"quay.io/libpod/alpine:latest\",\"Name\":\"c%d\",\"Status\":\"%s\",\"Time\":\"2026-12-01T08:%02d:%02d.%09dZ\",\"Type\":\"container\",\"Attributes\":{\"app\":\"web\",\"tier\":\"%d\"}}\n", \
      (s == "died" ? "\"ContainerExitCode\":1," : ""), i, i, s, int(i / 60) % 60, i % 60, i * 7919 + 1, i % 7
  }
}' > "$work/events.log"
printf '[engine]\nevents_logger = "file"\nevents_logfile_path = "%s"\n' "$work/events.log" > "$work/events.conf"
for f in "" "--format json" "--filter type=container --filter event=died"; do
  echo "--config $work/events.conf events --stream=false $f"
done >> "$work/commands-events"
# volume's own cache: its commands on every state backend of the set, each in a root of its own (the
# benchmark's rows; a backend's classes, sqlite-jdbc's above all, are most of its start-up)
if [ -n "$backend" ]; then
  : > "$work/commands-volume"
  for s in file:state-file sqlite:state-sqlite boltdb:state-bolt; do
    has "${s#*:}" || continue
    b=${s%%:*}
    for v in "volume create --label train=1 train-vol" "volume ls" "volume ls -q" "volume ls --format json" \
        "volume inspect train-vol" "volume rm train-vol"; do
      echo "--root $work/vroot-$b --runroot $work/vrun-$b --db-backend $b $v"
    done >> "$work/commands-volume"
  done
fi
# bare runs and creates, `--network none --rootfs R` (the launcher picks these caches for them): the
# network backends', the image store's and the second runtime's classes are a fifth of the run
# cache, all loaded at every start-up of a command that uses none of them
for c in run create; do
  # names of their own: the create training before them leaves its containers
  grep -E "^$c .*--network none .*--rootfs " "$script" | grep -v -e "--runtime " -e train-ps \
    | sed 's/--name \([^ ]*\)/--name \1-bare/' > "$work/commands-$c-bare" || true
done
hot="$hot run-bare create-bare"
global="--root $work/root --runroot $work/run"
pullglobal="--root $work/pullroot --runroot $work/pullrun"
[ -n "$runtime" ] && global="$global --runtime $runtime" && pullglobal="$pullglobal --runtime $runtime"
[ -n "$backend" ] && global="$global --db-backend $backend" && pullglobal="$pullglobal --db-backend $backend"
# `pull` alone, from a static registry on 127.0.0.1 (python3) holding the training rootfs as a gzip layer
pullscript="$work/pull-commands"
: > "$pullscript"
registry_pid=
if has image-overlay && [ -n "${rootfs:-}" ] && command -v python3 >/dev/null; then
  tar -C "$rootfs" -cf "$work/pull-rootfs.tar" .
  python3 - "$work/pull-rootfs.tar" "$work/registry" "$work/registry.port" <<'PY' &
import gzip, hashlib, http.server, json, os, sys
tar, root, portfile = sys.argv[1:4]
blobs = os.path.join(root, "v2/train/pull/blobs")
os.makedirs(blobs)
os.makedirs(os.path.join(root, "v2/train/pull/manifests"))
def put(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    open(os.path.join(blobs, d), "wb").write(data)
    return d
raw = open(tar, "rb").read()
layer = gzip.compress(raw, mtime=0)
config = json.dumps({"architecture": os.uname().machine.replace("x86_64", "amd64").replace("aarch64", "arm64"), "os": "linux",
                     "config": {"Cmd": ["/bin/sh"]}, "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": put(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": put(layer), "size": len(layer)}]}).encode()
open(os.path.join(root, "v2/train/pull/manifests/1"), "wb").write(manifest)
class Registry(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def guess_type(self, path):
        return "application/vnd.oci.image.manifest.v1+json" if "/manifests/" in path else "application/octet-stream"
    def log_message(self, *a):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
PY
  registry_pid=$!
  for _ in $(seq 100); do [ -s "$work/registry.port" ] && break; sleep 0.1; done
  if [ -s "$work/registry.port" ]; then
    reg=127.0.0.1:$(cat "$work/registry.port")
    # a loopback registry is asked in plain HTTP first; --tls-verify=true asks HTTPS first (refused
    # by this plain server, then plain HTTP), so the cache learns the TLS set-up a remote pull needs
    { echo "pull --tls-verify=false $reg/train/pull:1"; echo "rmi -a -f"; echo "pull -q --tls-verify=false $reg/train/pull:1"
      echo "rmi -a -f"; echo "pull -q --tls-verify=true $reg/train/pull:1"; } > "$pullscript"
  fi
fi
# the bridge run's network: made here (a free /24 of berth's pool, a free bridge name) and removed
# with its bridge at the end; its rules go with the container (the firewall plugin's shared
# CNI-FORWARD chain stays, as after any use of a CNI network)
train_net=false
if grep -q -- "--network berth-train " "$script"; then
  # shellcheck disable=SC2086
  if "$DIST/bin/berth" $global network create berth-train >/dev/null 2>"$work/net.log"; then
    train_net=true
  else
    echo "train.sh: no bridge training (network create failed: $(cat "$work/net.log"))"
    grep -v -- "--network berth-train " "$script" > "$script.tmp" && mv "$script.tmp" "$script"
    for c in $hot; do
      grep -v -- "--network berth-train " "$work/commands-$c" > "$work/commands-$c.tmp" || true
      mv "$work/commands-$c.tmp" "$work/commands-$c"
    done
  fi
fi
# shellcheck disable=SC2086
trap '[ "$train_net" = false ] || "$DIST/bin/berth" $global network rm berth-train >/dev/null 2>&1 || true; kill $registry_pid 2>/dev/null || true; umount -l "$work/root/overlay" "$work/pullroot/overlay" "$work"/vroot-*/overlay 2>/dev/null || true; rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" 2>/dev/null; } || true' EXIT
failed=0
train() { # $1 java home, $2 archive flag, $3 command script, $4 global flags
  # the launcher does not replay an AOT cache's training data (its compilations cost more than
  # they gained): none is recorded, which leaves the caches 0.3 to 0.6 MB smaller
  case "$2" in -XX:AOTCacheOutput=*) set -- "$1" "$2 -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining" "${3:-}" "${4:-}" ;; esac
  # an installed /etc/berth/containers.conf is read here as by every command, and the containers.conf
  # above (unless CONTAINERS_CONF names another): the TOML reader is trained
  # shellcheck disable=SC2086
  CONTAINERS_CONF="${CONTAINERS_CONF:-$work/containers.conf}" BERTH_TRAINING=1 BERTH_JAVA_HOME="$1" BERTH_JAVA_OPTS="$2 -Dberth.train=${3:-$script}" \
    "$DIST/bin/berth" ${4:-$global} version >/dev/null 2>"$work/train.log" \
    || { echo "train.sh: training with $1 failed:"; cat "$work/train.log"; failed=1; }
  # each command must work with this plugin set
  if grep -q -- '-> [1-9]' "$work/train.log"; then
    echo "train.sh: a training command failed with $1:"; grep -B3 -- '-> [1-9]' "$work/train.log"; failed=1
  fi
}
targets=
[ -x "$DIST/runtime/bin/java" ] && targets="$DIST/runtime:runtime"
if [ "$system" = true ] || [ -z "$targets" ]; then
  for jh in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-17-openjdk-*; do
    [ -x "$jh/bin/java" ] && targets="$targets $jh:"
  done
fi
for t in $targets; do
  jh=${t%%:*} name=${t#*:}
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jh/release")
  [ -n "$name" ] || name=$v
  if [ "$v" -ge 25 ]; then
    train "$jh" "-XX:AOTCacheOutput=$DIST/lib/berth-$name.aot"
    for c in $hot; do
      if [ -s "$work/commands-$c" ]; then train "$jh" "-XX:AOTCacheOutput=$DIST/lib/berth-$name-$c.aot" "$work/commands-$c"; fi
    done
    # a store of its own, empty, so that the pull extracts its layer
    if [ -s "$pullscript" ]; then
      train "$jh" "-XX:AOTCacheOutput=$DIST/lib/berth-$name-pull.aot" "$pullscript" "$pullglobal"
    fi
  else
    train "$jh" "-XX:ArchiveClassesAtExit=$DIST/lib/berth-$name.jsa"
  fi
done
ls -la "$DIST"/lib/berth-*.aot "$DIST"/lib/berth-*.jsa 2>/dev/null || true
[ "$failed" = 0 ] || { echo "train.sh: training failed" >&2; exit 1; }
