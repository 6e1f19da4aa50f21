package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.trace.Trace;
import java.util.Optional;

/**
 * Seed 000's cleanup, under the container's lock: the network torn down, then the container deleted
 * from the runtime (stopped becomes exited, created becomes configured), then the poststop hooks.
 */
public final class Teardown {
    private final EngineContext ctx;
    private final Hooks hooks;
    private final ContainerNetwork network;
    private final ImageRootfs rootfs;

    public Teardown(EngineContext ctx, Hooks hooks, ContainerNetwork network, ImageRootfs rootfs) {
        this.ctx = ctx;
        this.hooks = hooks;
        this.network = network;
        this.rootfs = rootfs;
    }

    /** Network, then runtime; the first failure is thrown after both were tried. */
    public Container cleanUp(Container c) {
        if (c.state().restartPolicyMatch()) {
            // this cleanup consumes the exit: a later cleanup (a second exit command, rm) must not restart
            c = c.withState(c.state().toBuilder().restartPolicyMatch(false).build());
            ctx.state().saveContainer(c);
        }
        BerthException first = null;
        try {
            c = network.tearDown(c);
        } catch (BerthException e) {
            first = e;
        }
        CrashPoints.here("cleanup:after-network-teardown");
        try {
            c = deleteFromRuntime(c, true);
            rootfs.unmount(c); // after the runtime let go of it
        } catch (BerthException e) {
            if (first == null) {
                first = e;
            } else {
                ctx.warnings().accept(e.getMessage());
            }
        }
        if (first != null) {
            throw first;
        }
        return c;
    }

    /** As {@link #cleanUp}, taking the lock, reporting a failure as a warning (a start that failed midway). */
    public void cleanUpQuietly(String id) {
        try {
            ctx.withLock(id, () -> {
                Optional<Container> c = ctx.state().findContainer(id);
                c.ifPresent(this::cleanUp);
                ctx.intents().end(id); // what the failed operation began is undone
            });
        } catch (RuntimeException e) {
            ctx.warnings().accept("cleaning up container " + id + ": " + e.getMessage());
        }
    }

    public Container tearDownNetwork(Container c) {
        return network.tearDown(c);
    }

    /**
     * Seed 000's cleanupRuntime: a stopped or created container deleted from the runtime;
     * {@code persist} false when the record is removed next.
     */
    public Container deleteFromRuntime(Container c, boolean persist) {
        if (c.status() != ContainerStatus.STOPPED && c.status() != ContainerStatus.CREATED) {
            return c;
        }
        OciRuntime rt = ctx.runtime(c);
        if (c.status() == ContainerStatus.CREATED && c.state().pid() > 0) {
            // created but never started: its monitor waits on it; SIGKILL ends both
            try {
                rt.kill(ctx.runtimeView(c), 9, false);
            } catch (BerthException e) {
                // already gone
            }
        }
        rt.delete(ctx.runtimeView(c));
        Trace.mark("cleanup: runtime deleted");
        CrashPoints.here("cleanup:after-runtime-delete");
        ContainerHooks h = hooks.hooksFor(c.config(), false);
        ContainerStatus next = c.status() == ContainerStatus.STOPPED ? ContainerStatus.EXITED : ContainerStatus.CONFIGURED;
        Container s = c.withState(c.state().toBuilder().status(next).pid(0).conmonPid(0).build());
        if (persist) {
            ctx.state().saveContainer(s);
        }
        hooks.run(h, HookStage.POSTSTOP, s, ctx.paths(c.id()).bundleDir(), 0, s.state().exitCode()); // failures are warnings
        return s;
    }
}
