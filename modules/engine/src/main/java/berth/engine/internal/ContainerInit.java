package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.runtime.Created;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.trace.Trace;
import java.nio.file.Path;

/**
 * Seed 000's init, under the container's lock: network, hooks, OCI spec, then the runtime's create
 * (while the network's setup runs on a thread of its own, unless a hook could look at it), then the
 * wait for that network; its status is saved with the created state, then its /etc files filled in.
 * The container must be configured or exited; it leaves created.
 */
public final class ContainerInit {
    private final EngineContext ctx;
    private final Hooks hooks;
    private final Bundles bundles;
    private final ContainerNetwork network;
    private final ImageRootfs rootfs;

    public ContainerInit(EngineContext ctx, Hooks hooks, Bundles bundles, ContainerNetwork network, ImageRootfs rootfs) {
        this.ctx = ctx;
        this.hooks = hooks;
        this.bundles = bundles;
        this.network = network;
        this.rootfs = rootfs;
    }

    /** {@code retainRetries}: a restart by policy keeps counting; any other init starts from zero. */
    public Container init(Container c, boolean retainRetries) {
        OciRuntime rt = ctx.runtime(c);
        RuntimeContainer r = ctx.runtimeView(c);
        ctx.intents().begin(c, "init"); // ended once created is saved, or by the cleanup of a failed start
        CrashPoints.here("init:after-intent");
        rt.clearExitStatus(r);
        Trace.mark("init: intent recorded");
        rootfs.mount(c); // before the spec: it reads the image's /etc/passwd
        VolumeHostMounts.prepare(ctx, c); // volumes' own mounts, and copy-up from the mounted root filesystem
        Bundles.Prewritten pre = bundles.take(c.id());
        // the hooks decide whether a backend's network may come up in the background: resolved here (the
        // helper writing the bundle ahead resolves them too, and reports their problems), so that the
        // network's setup need not wait for that bundle
        ContainerHooks h = pre != null && !c.config().network().needsBackend() ? pre.await() : hooks.hooksFor(c.config(), pre == null);
        Trace.mark("init: rootfs, volumes and hooks ready");
        // with no hook to see the network half made, the backend's setup overlaps the spec and the runtime's create
        ContainerNetwork.Prepared net = network.setUp(c, rt, h.none());
        Container cur = net.container();
        Trace.mark(net.inBackground() ? "init: network setup begun" : "init: hooks and network ready");
        Path bundle = ctx.paths(c.id()).bundleDir();
        Created created;
        try {
            if (pre != null) {
                pre.await(); // the bundle written ahead; its failure rethrown here, where the network is settled
            }
            if (pre == null || !pre.fits(net)) {
                bundles.write(cur, h, net);
            }
            CrashPoints.here("init:after-spec");
            if (!net.inBackground()) {
                network.announce(cur);
            }
            hooks.run(h, HookStage.PRESTART, cur, bundle, 0, 0);
            hooks.run(h, HookStage.CREATE_RUNTIME, cur, bundle, 0, 0);
            Trace.mark("init: spec written");
            if (net.inBackground()) {
                net.pending().awaitNamespace(); // the runtime joins it
            }
            try {
                created = rt.create(r);
            } catch (BerthException e) {
                throw h.explain(e);
            }
        } catch (RuntimeException e) {
            if (net.inBackground()) {
                // before the cleanup that follows tears the network down
                RuntimeException cause = network.settle(net);
                if (cause != null && cause != e) {
                    cause.addSuppressed(e);
                    throw cause;
                }
            }
            throw e;
        }
        Trace.mark("init: runtime create done");
        CrashPoints.here("init:after-runtime-create");
        ContainerState.Builder b = cur.state().toBuilder().status(ContainerStatus.CREATED).pid(created.pid())
                .conmonPid(created.monitorPid()).exitCode(0).exited(false).oomKilled(false).stoppedByUser(false)
                .restartPolicyMatch(false).appliedHooks(h.applied()).clearExecSessions();
        if (!retainRetries) {
            b.restartCount(0);
        }
        ContainerNetwork.Finished bg = net.inBackground() ? network.finish(net, b) : null;
        cur = cur.withState(b.build());
        ctx.state().saveContainer(cur);
        ctx.intents().end(c.id());
        Trace.mark("init: created saved");
        if (bg != null) {
            if (bg.failure() != null) {
                throw bg.failure(); // created is saved without a network: the start's cleanup deletes the container
            }
            network.fillEtcFiles(cur, bg.status());
        }
        // after created is saved: should the wait fail, the start's cleanup deletes the container from the runtime
        network.awaitReady(cur);
        ctx.events().container(cur, EventStatus.INIT);
        // saved as created first: when a hook fails here, cleanup deletes the container from the runtime
        hooks.run(h, HookStage.CREATE_CONTAINER, cur, bundle, created.pid(), 0);
        return cur;
    }
}
