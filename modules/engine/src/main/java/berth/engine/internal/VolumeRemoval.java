package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Volume;
import java.util.ArrayList;
import java.util.List;

/** Removes volumes no container uses: {@code volume rm} and prune after their checks, {@code rm -v} and {@code run --rm}. */
final class VolumeRemoval {
    private final EngineContext ctx;

    VolumeRemoval(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Unmounted, then the record, then the files: a crash in between leaves files, never a record without them. */
    void removeUnused(Volume v) {
        VolumeHostMounts.unmount(v);
        ctx.state().removeVolume(v.name());
        ctx.events().volume(v.name(), berth.engine.events.EventStatus.REMOVE);
        try {
            berth.support.FileTrees.delete(VolumeFactory.volumesDir(ctx).resolve(v.name()));
        } catch (BerthException e) {
            ctx.warnings().accept(e.getMessage());
        }
    }

    /**
     * {@code rm -v} and {@code run --rm}: the container's anonymous volumes that no other container
     * uses. The container's own record is already gone (or is excluded here).
     */
    void removeAnonymous(Container removed) {
        List<Container> others = new ArrayList<>(ctx.state().allContainers());
        others.removeIf(c -> c.id().equals(removed.id()));
        for (MountSpec m : removed.config().mounts()) {
            if (!m.type().equals(VolumeSpecs.TYPE)) {
                continue;
            }
            for (Volume v : ctx.state().allVolumes()) {
                if (v.anonymous() && v.mountpoint().equals(m.source()) && VolumeAdmin.users(v, others).isEmpty()) {
                    try {
                        removeUnused(v);
                    } catch (BerthException e) {
                        ctx.warnings().accept("cannot remove anonymous volume " + v.name() + ": " + e.getMessage());
                    }
                }
            }
        }
    }
}
