/**
 * The {@code overlay} image store: containers/storage's on-disk layout as podman 4.3.1
 * (containers/storage 1.43) writes it, so berth and podman share one {@code --root}.
 *
 * <p>Files (for the overlay driver; the vfs fallback swaps the prefix and keeps full copies in
 * {@code vfs/dir/<id>}): {@code overlay-layers/layers.json} and {@code <id>.tar-split.gz},
 * {@code overlay-images/images.json} and each image's big data ({@code overlay-images/<id>/<key>},
 * keys outside {@code [.0-9a-z]} base64-encoded behind a {@code =}), {@code overlay-containers/containers.json},
 * the driver's {@code overlay/<id>/{diff,link,lower,work,merged,empty}} and {@code overlay/l/<LINK>}
 * short links, and the run root's {@code overlay-layers/mountpoints.json}. Each JSON file has its
 * {@code .lock}: an fcntl write lock (see {@link berth.image.overlay.LockFile}) taken in c/storage's
 * order, and a new 64-byte last-writer token after each write, so podman reloads.
 *
 * <p>Crash safety as c/storage: a layer's record is saved flagged {@code incomplete} before its
 * files are made, and the flag is cleared only when it is whole (for a pull, when the image is about
 * to be recorded); every open deletes incomplete layers and unlocked pull temp directories under the
 * store's locks.
 *
 * <p>Mounting is mount(2) through JNA with podman's options ({@code lowerdir=} the absolute
 * {@code l/} links, {@code upperdir}, {@code workdir}), after the driver home is made a private bind
 * mount of itself as c/storage does. When the options exceed a page (about 60 layers or more,
 * depending on the root's path), c/storage chdir's to the home and uses relative paths; a JVM cannot
 * change its working directory safely (every thread shares it), so the store uses the new mount
 * API instead: fsopen("overlay"), one {@code fsconfig(lowerdir+)} per layer (Linux 6.8+), fsmount and
 * move_mount, which has no length limit. Mounts are counted in mountpoints.json with podman's, and
 * unmounted (MNT_DETACH) at zero.
 */
package berth.image.overlay;
