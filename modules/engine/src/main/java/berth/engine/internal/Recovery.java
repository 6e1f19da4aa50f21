package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finishes or undoes what a crashed berth process left half done, under the container's lock, from
 * its orphaned {@link Intents intent}: an init is undone (network, namespace, runtime container and
 * its monitor), a start or a stop whose runtime step never happened is undone in the record, a
 * cleanup or a removal is finished. A container with no record left gets its leftovers removed.
 * Every command that looks at a container passes through here first, so ps, rm and the next
 * operation see the truth.
 */
public final class Recovery {
    private final EngineContext ctx;
    private final Intents intents;
    private final Teardown teardown;
    private final NetworkBackends backends;
    private final RecordRemoval records;
    private final ExecRecovery execs;

    public Recovery(EngineContext ctx, Intents intents, Teardown teardown, NetworkBackends backends, RecordRemoval records,
                    ExecIntents execIntents) {
        this.ctx = ctx;
        this.intents = intents;
        this.teardown = teardown;
        this.backends = backends;
        this.records = records;
        this.execs = new ExecRecovery(ctx, execIntents);
    }

    /** Recovers every container with an orphaned intent, recorded or not (ps, rm --all). */
    public void recoverAll() {
        Set<String> pending = intents.pending();
        for (String id : pending) {
            recover(id);
        }
        execs.recoverAll();
    }

    /** The container as it truly is: recovered first when a dead process left an intent on it. */
    public Container recover(Container c) {
        if (!intents.has(c.id()) || intents.orphaned(c.id()).isEmpty()) {
            return execs.recover(c);
        }
        recover(c.id());
        return ctx.state().findContainer(c.id()).map(execs::recover).orElse(c);
    }

    private void recover(String id) {
        if (intents.orphaned(id).isEmpty()) {
            return;
        }
        try {
            ctx.withLock(id, () -> {
                Optional<Intents.Intent> i = intents.orphaned(id); // again, under the lock
                if (i.isEmpty()) {
                    return;
                }
                Optional<Container> c = ctx.state().findContainer(id);
                if (c.isEmpty()) {
                    removeLeftovers(i.get());
                } else {
                    recover(c.get(), i.get().operation());
                }
                intents.end(id);
            });
        } catch (BerthException e) {
            ctx.warnings().accept("cannot recover container " + id + " from an interrupted operation: " + e.getMessage());
        }
    }

    private void recover(Container c, String operation) {
        OciRuntime rt = ctx.runtime(c);
        RuntimeContainer r = ctx.runtimeView(c);
        switch (operation) {
            case "start" -> {
                // the record may say running for a container the runtime never started
                if (c.status() == ContainerStatus.RUNNING && "created".equals(rt.runtimeState(r).orElse(""))) {
                    save(c.withState(c.state().toBuilder().status(ContainerStatus.CREATED).build()));
                }
            }
            case "stop" -> {
                // the stop never reached the runtime: the container runs on, and the user may stop it again
                if (c.status() == ContainerStatus.STOPPING && rt.exitReport(r) instanceof ExitReport.Running) {
                    save(c.withState(c.state().toBuilder().status(ContainerStatus.RUNNING).stoppedByUser(false).build()));
                }
            }
            case "cleanup" -> {
                if (!c.status().isActive()) {
                    teardown.cleanUp(c);
                }
            }
            case "remove" -> {
                if (!c.status().isActive()) {
                    records.removeLocked(teardown.cleanUp(c));
                    ctx.locks().forget(c.id());
                }
            }
            default -> undoInit(c, rt, r); // init, or an intent too torn to read
        }
    }

    /** An init that did not finish: a created container whose process lives is kept, anything else undone. */
    private void undoInit(Container c, OciRuntime rt, RuntimeContainer r) {
        if (c.status() == ContainerStatus.CREATED && c.state().pid() > 0 && rt.exitReport(r) instanceof ExitReport.Running) {
            return; // init had finished: only its intent was left
        }
        if (c.status().isRunningOrPaused()) {
            return; // started since: the exit tracking owns it
        }
        Container cur = c;
        try {
            cur = cur.state().netNsPath() != null ? teardown.tearDownNetwork(cur) : cur;
        } catch (BerthException e) {
            ctx.warnings().accept(e.getMessage());
        }
        removeNamespace(c.id(), c.config().network().needsBackend() ? c.config().network().mode() : "", c.name());
        deleteFromRuntime(rt, r);
        ContainerStatus back = c.state().exited() ? ContainerStatus.EXITED : ContainerStatus.CONFIGURED;
        save(cur.withState(cur.state().toBuilder().status(back).pid(0).conmonPid(0).netNsPath(null)
                .networkStatus(java.util.Map.of()).build()));
    }

    /**
     * Runtime containers under berth's runtime roots that have no record (a crash between a removal
     * and the runtime's delete, or a create the runtime finished after its berth died): removed, with
     * what their runtime kept for them. For {@code rm --all --force}.
     */
    public void sweepUnrecorded() {
        for (String name : ctx.plugins().runtimeIds()) {
            OciRuntime rt;
            try {
                rt = ctx.plugins().runtime(name);
            } catch (BerthException e) {
                continue; // not installed here: it holds nothing of ours
            }
            for (String id : rt.containerIds()) {
                if (ctx.state().findContainer(id).isPresent()) {
                    continue;
                }
                ctx.withLock(id, () -> {
                    if (ctx.state().findContainer(id).isEmpty()) {
                        removeLeftovers(new Intents.Intent(id, "sweep", 0, 0, name, ""));
                    }
                });
            }
        }
    }

    /** A container whose record is gone (a removal or a create that died): its files, runtime state and namespace. */
    private void removeLeftovers(Intents.Intent i) {
        ContainerPaths p = ctx.paths(i.containerId());
        if (!i.runtime().isEmpty()) {
            try {
                OciRuntime rt = ctx.plugins().runtime(i.runtime());
                RuntimeContainer r = new RuntimeContainer(i.containerId(), i.containerId(), p.bundleDir(), p.runDir(), "none", null,
                        false, false, List.of(), 0, 0, 9);
                deleteFromRuntime(rt, r);
                rt.release(r);
            } catch (BerthException e) {
                ctx.warnings().accept(e.getMessage());
            }
        }
        removeNamespace(i.containerId(), needsBackend(i.networkMode()) ? i.networkMode() : "", i.containerId());
        records.deleteTree(p.containerDir());
        records.deleteTree(p.runContainerDir());
        ctx.locks().forget(i.containerId());
    }

    private static boolean needsBackend(String mode) {
        return !mode.isEmpty() && !mode.equals("none") && !mode.equals("host");
    }

    /** A namespace made but never recorded: its backend's half-made setup torn down, then the namespace. */
    private void removeNamespace(String id, String mode, String name) {
        Path ns = NetNs.pathFor(ctx.config().runRoot(), id);
        if (!Files.exists(ns)) {
            return;
        }
        if (!mode.isEmpty()) {
            try {
                var b = backends.forMode(mode);
                b.teardown(new NetworkRequest(id, name, id.substring(0, Math.min(12, id.length())), ns, NetworkModes.parse(mode,
                        List.of(), () -> backends.defaultNetwork())), NetworkStatus.empty(b.id()));
            } catch (BerthException e) {
                ctx.warnings().accept(e.getMessage());
            }
        }
        NetNs.remove(ns);
    }

    private void deleteFromRuntime(OciRuntime rt, RuntimeContainer r) {
        try {
            rt.delete(r);
        } catch (BerthException e) {
            ctx.warnings().accept(e.getMessage());
        }
    }

    private void save(Container c) {
        ctx.state().saveContainer(c);
    }
}
