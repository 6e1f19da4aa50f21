package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.trace.Trace;
import java.nio.file.Path;

/**
 * The root filesystem of a container made from an image: mounted by init, unmounted by cleanup,
 * removed with the container (libpod's mountStorage / cleanupStorage). Containers from a
 * {@code --rootfs} directory pass through untouched, and never load the image store.
 */
public final class ImageRootfs {
    private final EngineContext ctx;

    public ImageRootfs(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Mounts the container's root filesystem; returns where (the config's rootfs, for a directory container). */
    public Path mount(Container c) {
        if (!c.config().fromImage()) {
            return Path.of(c.config().rootfs());
        }
        Path p = ctx.plugins().images().mount(c.id());
        Trace.mark("init: rootfs mounted");
        return p;
    }

    /** Unmounts after the runtime let go of it; a failure is a warning (the next cleanup or rm retries). */
    public void unmount(Container c) {
        if (!c.config().fromImage()) {
            return;
        }
        try {
            ctx.plugins().images().unmount(c.id(), true);
        } catch (BerthException e) {
            ctx.warnings().accept("unmounting the root filesystem of container " + c.name() + ": " + e.getMessage());
        }
    }

    /**
     * Removes the container's writable layer (unmounting it first). In a database podman reads, a
     * {@code --rootfs} container has a storage entry too (podman's or berth's); it goes with it.
     */
    public void remove(Container c) {
        if (!c.config().fromImage() && !ctx.state().readByPodman()) {
            return;
        }
        try {
            ctx.plugins().images().removeContainer(c.id());
        } catch (BerthException e) {
            ctx.warnings().accept("removing the storage of container " + c.name() + ": " + e.getMessage());
        }
    }
}
