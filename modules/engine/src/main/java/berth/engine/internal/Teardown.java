package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.trace.Trace;
import java.util.Optional;

/**
 * Seed 000's cleanup, under the container's lock: the network torn down while the container is
 * deleted from the runtime (stopped becomes exited, created becomes configured), then the poststop
 * hooks.
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

    /** Network and runtime (see {@link #networkAndRuntime}); the first failure is thrown after both were tried. */
    public Container cleanUp(Container c) {
        if (c.state().restartPolicyMatch()) {
            // this cleanup consumes the exit: a later cleanup (a second exit command, rm) must not restart
            c = c.withState(c.state().toBuilder().restartPolicyMatch(false).build());
            ctx.state().saveContainer(c);
        }
        Outcome o = networkAndRuntime(c, true);
        BerthException runtimeFailure = o.runtimeFailure();
        if (runtimeFailure == null) {
            try {
                rootfs.unmount(o.container()); // after the runtime let go of it
            } catch (BerthException e) {
                runtimeFailure = e;
            }
        }
        return o.orThrow(runtimeFailure, ctx.warnings());
    }

    /**
     * {@code run --rm}'s teardown before the record goes: as {@link #cleanUp}, without saving the
     * runtime's step (the record is removed next). Throws the first failure.
     */
    public Container cleanUpForRemoval(Container c) {
        Outcome o = networkAndRuntime(c, false);
        return o.orThrow(o.runtimeFailure(), ctx.warnings());
    }

    /** The container after both steps, and what each step threw. */
    private record Outcome(Container container, BerthException networkFailure, BerthException runtimeFailure) {
        /** The network's failure first; the runtime's then only warned of (as in seed 000's cleanup). */
        Container orThrow(BerthException runtime, java.util.function.Consumer<String> warnings) {
            if (networkFailure != null) {
                if (runtime != null) {
                    warnings.accept(runtime.getMessage());
                }
                throw networkFailure;
            }
            if (runtime != null) {
                throw runtime;
            }
            return container;
        }
    }

    /**
     * The network torn down on a thread of its own while the runtime deletes the container: once the
     * process has exited the two are independent (the namespace is berth's own mount, the runtime
     * holds none of it) and each mostly waits on processes of its own (CNI plugins or slirp4netns;
     * crun). Only the network's thread saves meanwhile (its step, as before, unless the record goes next); the runtime's step is
     * saved after both, so the record has one writer at a time. Poststop hooks run after both.
     */
    private Outcome networkAndRuntime(Container c, boolean persist) {
        Container[] afterNetwork = {c};
        Concurrently net = null;
        if (c.state().netNsPath() != null) {
            Container withNetwork = c;
            net = Concurrently.run("berth-network-teardown", () -> {
                afterNetwork[0] = network.tearDown(withNetwork, persist);
                CrashPoints.here("cleanup:after-network-teardown");
            });
        }
        BerthException runtimeFailure = null;
        boolean deleted = false;
        try {
            deleted = deleteRuntimeContainer(c);
        } catch (BerthException e) {
            runtimeFailure = e;
        }
        BerthException networkFailure = null;
        if (net != null) {
            try {
                net.await();
            } catch (BerthException e) {
                networkFailure = e;
            }
        }
        Container cur = afterNetwork[0];
        if (deleted) {
            try {
                cur = afterRuntimeDelete(cur, persist);
            } catch (BerthException e) {
                runtimeFailure = e;
            }
        }
        return new Outcome(cur, networkFailure, runtimeFailure);
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
        return deleteRuntimeContainer(c) ? afterRuntimeDelete(c, persist) : c;
    }

    /** The runtime's delete of a stopped or created container; false when the container is neither. */
    private boolean deleteRuntimeContainer(Container c) {
        if (c.status() != ContainerStatus.STOPPED && c.status() != ContainerStatus.CREATED) {
            return false;
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
        return true;
    }

    /** Stopped becomes exited, created becomes configured; then the poststop hooks. */
    private Container afterRuntimeDelete(Container c, boolean persist) {
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
