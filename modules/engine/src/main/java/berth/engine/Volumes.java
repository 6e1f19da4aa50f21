package berth.engine;

import berth.engine.internal.VolumeAdmin;
import berth.kernel.model.Container;
import berth.kernel.model.Volume;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The engine's volume API ({@code berth volume ...}): podman's named volumes with the local driver.
 * Obtained from {@link Engine#volumes()}. Errors: NO_SUCH_VOLUME, VOLUME_EXISTS, VOLUME_IN_USE
 * (exit 2, as podman), INVALID_ARGUMENT for a bad name or option.
 */
public final class Volumes {
    private final VolumeAdmin admin;

    Volumes(VolumeAdmin admin) {
        this.admin = admin;
    }

    /** {@code volume create}; an empty name is replaced by a random 64-hex one. Options: type, device, o, uid, gid. */
    public Volume create(String name, Map<String, String> options, Map<String, String> labels) {
        return admin.create(name, Volume.LOCAL, options, labels, false);
    }

    /** As {@link #create(String, Map, Map)} with a driver, which must be {@code local}. */
    public Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
        return admin.create(name, driver, options, labels, false);
    }

    public List<Volume> list() {
        return admin.list();
    }

    /** The volume, or NO_SUCH_VOLUME. */
    public Volume get(String name) {
        return admin.get(name);
    }

    public boolean exists(String name) {
        return admin.exists(name);
    }

    /** The containers whose mounts use the volume. */
    public List<Container> users(Volume v) {
        return admin.users(v);
    }

    /** The names of the volumes some container uses (what {@code --filter dangling=false} keeps). */
    public java.util.Set<String> inUse() {
        return admin.inUse();
    }

    /** Removes a volume; in use it is refused (VOLUME_IN_USE) unless {@code force}, which removes its containers first. */
    public void remove(String name, boolean force, Integer timeout) {
        admin.remove(name, force, timeout);
    }

    /** Removes every volume no container uses that {@code filter} accepts; the names removed. */
    public List<String> prune(Predicate<Volume> filter) {
        return admin.prune(filter);
    }

    /** {@code rm -v}: the anonymous volumes of a container just removed that no other container uses. */
    public void removeAnonymous(Container removed) {
        admin.removeAnonymous(removed);
    }

    /** Mounts what the volume's options name on the host; returns the mount point. */
    public Path mount(String name) {
        return admin.mount(name);
    }

    public void unmount(String name) {
        admin.unmount(name);
    }

    public void export(String name, OutputStream out) {
        admin.export(name, out);
    }

    public void importFrom(String name, InputStream in) {
        admin.importFrom(name, in);
    }
}
