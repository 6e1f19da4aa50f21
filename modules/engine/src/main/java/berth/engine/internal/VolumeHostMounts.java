package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Volume;
import berth.support.MountInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a volume needs on the host before a container binds it: the local driver's mount (a tmpfs,
 * a device, a bind of a host directory, as {@code -o type=,device=,o=} say) at its mount point, and
 * the copy-up of the container's content at the mount destination into a new, empty volume (once:
 * the record's {@code needsCopyUp} is cleared after). The mount is made with the host's mount(8),
 * as the engine already umounts network namespaces with umount(8); it stays until {@code volume
 * unmount} or the volume's removal.
 */
final class VolumeHostMounts {
    private VolumeHostMounts() {
    }

    /** Called by init, after the root filesystem is mounted and before the spec is written. */
    static void prepare(EngineContext ctx, Container c) {
        for (MountSpec m : c.config().mounts()) {
            if (!m.type().equals(VolumeSpecs.TYPE)) {
                continue;
            }
            Volume v = volumeAt(ctx, m.source());
            if (v == null) {
                throw new BerthException(ErrorCode.NO_SUCH_VOLUME, "container " + c.name() + ": the volume mounted at "
                        + m.destination() + " (" + m.source() + ") no longer exists");
            }
            mount(v);
            if (v.needsCopyUp()) {
                if (!m.options().contains("nocopy")) {
                    copyUp(Path.of(c.config().rootfs()), m.destination(), Path.of(v.mountpoint()));
                }
                ctx.state().saveVolume(v.withNeedsCopyUp(false));
            }
            if (m.options().contains("U")) { // podman's :U: the volume belongs to the container's user
                UserResolver.ResolvedUser u = UserResolver.resolve(Path.of(c.config().rootfs()), c.config().user(), c.name());
                Procs.run(ErrorCode.INTERNAL, "changing the owner of volume " + v.name(),
                        List.of("chown", "-R", "--no-dereference", u.uid() + ":" + u.gid(), v.mountpoint()));
            }
        }
    }

    private static Volume volumeAt(EngineContext ctx, String mountpoint) {
        for (Volume v : ctx.state().allVolumes()) {
            if (v.mountpoint().equals(mountpoint)) {
                return v;
            }
        }
        return null;
    }

    /** Copies ROOTFS/DEST into an empty volume, keeping owners, modes and times (podman copies up only into an empty one). */
    static void copyUp(Path rootfs, String destination, Path volume) {
        Path src = rootfs.resolve(destination.substring(1)).normalize();
        if (!src.startsWith(rootfs) || !Files.isDirectory(src, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !isEmpty(volume)) {
            return;
        }
        Procs.run(ErrorCode.INTERNAL, "copying " + destination + " up into volume " + volume,
                List.of("cp", "-a", "--", src + "/.", volume.toString()));
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Mounts what the volume's options name at its mount point, unless it is mounted already. */
    static void mount(Volume v) {
        if (!v.mountsSomething() || isMountPoint(Path.of(v.mountpoint()))) {
            return;
        }
        String type = v.options().getOrDefault("type", "");
        String device = v.options().getOrDefault("device", "");
        List<String> opts = new ArrayList<>();
        String o = v.options().getOrDefault("o", "");
        boolean bind = type.equals("none") || type.equals("bind") || List.of(o.split(",")).contains("bind");
        List<String> cmd = new ArrayList<>(List.of("mount"));
        if (!type.isEmpty() && !bind) {
            cmd.add("-t");
            cmd.add(type);
        }
        if (bind) {
            opts.add("bind");
        }
        for (String x : o.split(",")) {
            if (!x.isEmpty() && !x.equals("bind")) {
                opts.add(x);
            }
        }
        if (!opts.isEmpty()) {
            cmd.add("-o");
            cmd.add(String.join(",", opts));
        }
        cmd.add(device);
        cmd.add(v.mountpoint());
        Procs.run(ErrorCode.INTERNAL, "mounting volume " + v.name(), cmd);
    }

    static void unmount(Volume v) {
        Path p = Path.of(v.mountpoint());
        while (v.mountsSomething() && isMountPoint(p)) {
            Procs.run(ErrorCode.INTERNAL, "unmounting volume " + v.name(), List.of("umount", p.toString()));
        }
    }

    /** {@code system reset}: every volume's own mount, before the root's files are deleted. */
    static void unmountAll(EngineContext ctx, List<String> errors) {
        try {
            for (Volume v : ctx.state().allVolumes()) {
                try {
                    unmount(v);
                } catch (BerthException e) {
                    errors.add(e.getMessage());
                }
            }
        } catch (BerthException e) {
            errors.add(e.getMessage());
        }
    }

    /** True when a mount sits exactly at {@code p} (mountinfo's fifth field). */
    static boolean isMountPoint(Path p) {
        try {
            return MountInfo.isMountPoint(p);
        } catch (IOException e) {
            return false;
        }
    }
}
