package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.trace.Trace;
import berth.support.FileTrees;
import java.nio.file.Path;

/**
 * The last step of removing a container whose process is gone and whose network and runtime state
 * were cleaned up: its files, what its runtime kept for it, its record and its lock file.
 */
public final class RecordRemoval {
    private final EngineContext ctx;
    private final Bundles bundles;
    private final ImageRootfs rootfs;

    public RecordRemoval(EngineContext ctx, Bundles bundles, ImageRootfs rootfs) {
        this.ctx = ctx;
        this.bundles = bundles;
        this.rootfs = rootfs;
    }

    /** Takes the lock and removes the record if it is still there (an auto-remove container after its cleanup). */
    public void removeAfterCleanup(Container c) {
        try {
            ctx.withLock(c.id(), () -> ctx.state().findContainer(c.id()).ifPresent(x -> {
                ctx.intents().begin(x, "remove");
                removeLocked(x);
                ctx.intents().end(x.id());
            }));
            ctx.locks().forget(c.id());
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NO_SUCH_CONTAINER) {
                throw e;
            }
        }
    }

    /** Under the lock, after cleanup: the container's files, then its record. */
    public void removeLocked(Container c) {
        Trace.mark("remove: locked");
        removeFiles(c);
        Trace.mark("remove: files removed");
        CrashPoints.here("remove:after-files");
        java.util.OptionalInt lock = ctx.plugins().sharedLocks().isPresent() ? ctx.state().lockNumber(c.id()) : java.util.OptionalInt.empty();
        ctx.state().removeContainer(c.id());
        lock.ifPresent(n -> ctx.plugins().sharedLocks().ifPresent(m -> m.free(n)));
        ctx.events().container(c, berth.engine.events.EventStatus.REMOVE);
        CrashPoints.here("remove:after-record");
        if (c.config().autoRemove()) {
            new VolumeRemoval(ctx).removeAnonymous(c); // run --rm takes its anonymous volumes along, as podman
        }
    }

    private void removeFiles(Container c) {
        Bundles.Prewritten pre = bundles.take(c.id());
        if (pre != null) {
            pre.awaitQuietly(); // a run that failed before init: let its helper finish writing first
        }
        ContainerPaths p = ctx.paths(c.id());
        deleteTree(p.containerDir());
        deleteTree(p.runContainerDir());
        try {
            ctx.runtime(c).release(ctx.runtimeView(c));
        } catch (BerthException e) {
            ctx.warnings().accept("cannot release the runtime's files of container " + c.name() + ": " + e.getMessage());
        }
        rootfs.remove(c);
    }

    /** Deletes a directory tree, warning instead of failing: a removal is not stuck on a leftover file. */
    public void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (BerthException e) {
            ctx.warnings().accept(e.getMessage());
        }
    }
}
