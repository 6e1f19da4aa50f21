#!/usr/bin/env bash
# Builds a test image offline from busybox-static with umoci: an OCI layout LAYOUT with tag TAG.
# Layer 1 is busybox with its applets linked in /bin; with SIZE_MB > 0, LAYERS more layers follow,
# each holding incompressible data (SIZE_MB in all), so a pull moves that many bytes.
#   make-test-image.sh LAYOUT TAG [SIZE_MB] [LAYERS]
# Then, e.g.: skopeo copy oci:LAYOUT:TAG docker-archive:/tmp/x.tar:localhost/x:1
#         or: skopeo copy --dest-tls-verify=false oci:LAYOUT:TAG docker://127.0.0.1:5000/x:1
set -euo pipefail
layout=$1 tag=$2 size=${3:-0} layers=${4:-3}
for b in umoci busybox; do command -v "$b" >/dev/null || { echo "make-test-image.sh: $b missing (apt-get install umoci busybox-static)" >&2; exit 1; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f "$layout/index.json" ] || umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci unpack --image "$layout:$tag" "$work/b" >/dev/null
root="$work/b/rootfs"
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
cp "$(command -v busybox)" "$root/bin/busybox"
for a in $(busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
umoci repack --image "$layout:$tag" "$work/b"
if [ "$size" -gt 0 ]; then
  per=$(( size / layers ))
  for i in $(seq 1 "$layers"); do
    umoci unpack --image "$layout:$tag" "$work/l$i" >/dev/null
    mkdir -p "$work/l$i/rootfs/data"
    head -c "$(( per * 1024 * 1024 ))" /dev/urandom > "$work/l$i/rootfs/data/blob$i"
    umoci repack --image "$layout:$tag" "$work/l$i"
    rm -rf "$work/l$i"
  done
fi
umoci config --image "$layout:$tag" --config.cmd=/bin/sh --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.label=org.berth.test=1
umoci gc --layout "$layout"
