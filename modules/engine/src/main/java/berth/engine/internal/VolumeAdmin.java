package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Named volumes as libpod's local driver keeps them: a record in the state store and a directory
 * {@code ROOT/volumes/NAME/_data}, the mount point containers bind. With {@code -o type=,device=,o=}
 * a tmpfs or a host directory is mounted at the mount point while the volume is in use
 * ({@link VolumeHostMounts}). Which containers use a volume is read from their configs: a mount of
 * type {@code volume} whose source is the volume's mount point.
 */
public final class VolumeAdmin {

    private final EngineContext ctx;
    private final Removal removal;

    public VolumeAdmin(EngineContext ctx, Removal removal) {
        this.ctx = ctx;
        this.removal = removal;
    }

    public Path volumesDir() {
        return VolumeFactory.volumesDir(ctx);
    }

    /** {@code volume create}; see {@link VolumeFactory#create}. */
    public Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels, boolean anonymous) {
        return new VolumeFactory(ctx).create(name, driver, options, labels, anonymous);
    }

    public List<Volume> list() {
        return ctx.state().allVolumes();
    }

    /** The volume, or {@code no such volume} as podman words it for inspect, mount, export. */
    public Volume get(String name) {
        return ctx.state().volume(name);
    }

    public boolean exists(String name) {
        return ctx.state().findVolume(name).isPresent();
    }

    /** The containers whose config mounts this volume. */
    public List<Container> users(Volume v) {
        return users(v, ctx.state().allContainers());
    }

    /** The names of the volumes some container uses, from one read of the containers. */
    public java.util.Set<String> inUse() {
        java.util.Set<String> mountpoints = new java.util.HashSet<>();
        for (Container c : ctx.state().allContainers()) {
            for (MountSpec m : c.config().mounts()) {
                if (m.type().equals(VolumeSpecs.TYPE)) {
                    mountpoints.add(m.source());
                }
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Volume v : ctx.state().allVolumes()) {
            if (mountpoints.contains(v.mountpoint())) {
                names.add(v.name());
            }
        }
        return names;
    }

    static List<Container> users(Volume v, List<Container> all) {
        List<Container> out = new ArrayList<>();
        for (Container c : all) {
            if (uses(c, v)) {
                out.add(c);
            }
        }
        return out;
    }

    static boolean uses(Container c, Volume v) {
        for (MountSpec m : c.config().mounts()) {
            if (m.type().equals(VolumeSpecs.TYPE) && m.source().equals(v.mountpoint())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code volume rm}: refused while a container uses the volume, unless forced, which removes
     * those containers first (podman's rule).
     */
    public void remove(String name, boolean force, Integer timeout) {
        Volume v = ctx.state().volume(name);
        List<Container> users = users(v);
        if (!users.isEmpty()) {
            if (!force) {
                List<String> ids = new ArrayList<>();
                users.forEach(c -> ids.add(c.id()));
                throw new BerthException(ErrorCode.VOLUME_IN_USE, "volume " + v.name()
                        + " is being used by the following container(s): " + String.join(", ", ids));
            }
            for (Container c : users) {
                removal.remove(ctx.state().container(c.id()), true, timeout);
            }
        }
        removeUnused(v);
    }

    void removeUnused(Volume v) {
        new VolumeRemoval(ctx).removeUnused(v);
    }

    /** {@code volume prune}: every volume no container uses; the names removed. */
    public List<String> prune(java.util.function.Predicate<Volume> filter) {
        List<Container> all = ctx.state().allContainers();
        List<String> removed = new ArrayList<>();
        for (Volume v : ctx.state().allVolumes()) {
            if (filter.test(v) && users(v, all).isEmpty()) {
                try {
                    removeUnused(v);
                    ctx.events().volume(v.name(), berth.engine.events.EventStatus.PRUNE);
                    removed.add(v.name());
                } catch (BerthException e) {
                    if (e.code() != ErrorCode.NO_SUCH_VOLUME) { // another process removed it: not an error
                        throw e;
                    }
                }
            }
        }
        return removed;
    }

    /** {@code rm -v}: see {@link VolumeRemoval#removeAnonymous}. */
    public void removeAnonymous(Container removed) {
        new VolumeRemoval(ctx).removeAnonymous(removed);
    }

    /** {@code volume mount}: mounts what the volume's options name (if anything) and returns the mount point. */
    public Path mount(String name) {
        Volume v = ctx.state().volume(name);
        VolumeHostMounts.mount(v);
        return Path.of(v.mountpoint());
    }

    public void unmount(String name) {
        VolumeHostMounts.unmount(ctx.state().volume(name));
    }

    /** {@code volume export}: the volume's content as a tar stream. */
    public void export(String name, java.io.OutputStream out) {
        Volume v = ctx.state().volume(name);
        VolumeHostMounts.mount(v);
        VolumeArchive.export(Path.of(v.mountpoint()), out);
    }

    /** {@code volume import}: a tar stream unpacked into the volume, over what it holds. */
    public void importFrom(String name, java.io.InputStream in) {
        Volume v = ctx.state().volume(name);
        VolumeHostMounts.mount(v);
        VolumeArchive.importInto(Path.of(v.mountpoint()), in);
    }

}
