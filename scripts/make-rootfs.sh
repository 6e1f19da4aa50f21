#!/bin/sh
# Builds a busybox-static root filesystem in $1 (for tests, the benchmark and the README).
set -eu
dir=$1
[ -x /bin/busybox ] || { echo "make-rootfs: /bin/busybox missing: apt-get install busybox-static" >&2; exit 1; }
mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/root"
cp /bin/busybox "$dir/bin/busybox"
for a in $(/bin/busybox --list); do
  # busybox lists itself; linking that name would replace the binary with a link to itself
  [ "$a" = busybox ] && continue
  [ -e "$dir/bin/$a" ] || ln -s busybox "$dir/bin/$a"
done
[ -f "$dir/etc/passwd" ] || printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$dir/etc/passwd"
[ -f "$dir/etc/group" ] || printf 'root:x:0:\nnobody:x:65534:\n' > "$dir/etc/group"
