package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ExecSession;
import berth.kernel.spi.runtime.ExecReport;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import java.util.List;
import java.util.Optional;

/**
 * Exec sessions made true, as podman's {@code getActiveExecSessions}: a session whose starter died
 * (an orphaned {@link ExecIntents intent}) is recorded while it runs, or has its files released once it
 * ended or never started; a recorded running session that has ended is marked stopped with its exit
 * code and its files released. Under the container's lock, and only when there is something to do:
 * a lookup pays one stat, plus one exit-file read per recorded running session.
 */
final class ExecRecovery {
    private final EngineContext ctx;
    private final ExecIntents intents;

    ExecRecovery(EngineContext ctx, ExecIntents intents) {
        this.ctx = ctx;
        this.intents = intents;
    }

    /** Every container with an orphaned exec intent (ps, rm --all). */
    void recoverAll() {
        for (String id : intents.containers()) {
            if (intents.orphaned(id).isEmpty()) {
                continue;
            }
            Optional<Container> c = ctx.state().findContainer(id);
            if (c.isPresent()) {
                recover(c.get());
            } else {
                // removed meanwhile: its run directory, and the sessions' files in it, went with it
                ctx.withLock(id, () -> intents.orphaned(id).forEach(i -> intents.end(id, i.sessionId())));
            }
        }
    }

    /** The container with its exec sessions made true. */
    Container recover(Container c) {
        boolean orphans = intents.any(c.id()) && !intents.orphaned(c.id()).isEmpty();
        if (!orphans && !anyRecordedEnded(c)) {
            return c;
        }
        try {
            ctx.withLock(c.id(), () -> {
                Optional<Container> cur = ctx.state().findContainer(c.id());
                if (cur.isEmpty()) {
                    return;
                }
                OciRuntime rt = ctx.runtime(cur.get());
                RuntimeContainer view = ctx.execView(cur.get());
                ContainerState.Builder b = cur.get().state().toBuilder();
                boolean changed = finishOrphans(cur.get(), rt, view, b);
                changed |= reap(cur.get(), rt, view, b);
                if (changed) {
                    ctx.state().saveContainer(cur.get().withState(b.build()));
                }
                // the intents go once what they guarded is recorded
                intents.orphaned(c.id()).forEach(i -> intents.end(c.id(), i.sessionId()));
            });
        } catch (BerthException e) {
            ctx.warnings().accept("cannot recover the exec sessions of container " + c.name() + ": " + e.getMessage());
            return c;
        }
        return ctx.state().findContainer(c.id()).orElse(c);
    }

    private boolean anyRecordedEnded(Container c) {
        List<ExecSession> running = c.state().execSessions().values().stream().filter(ExecSession::running).toList();
        if (running.isEmpty()) {
            return false;
        }
        try {
            OciRuntime rt = ctx.runtime(c);
            RuntimeContainer view = ctx.execView(c);
            return running.stream().anyMatch(s -> !(rt.execReport(view, s.id()) instanceof ExecReport.Running));
        } catch (BerthException e) {
            return false; // the runtime is not installed here: nothing can be learnt of its sessions
        }
    }

    private boolean finishOrphans(Container c, OciRuntime rt, RuntimeContainer view, ContainerState.Builder b) {
        boolean changed = false;
        for (ExecIntents.ExecIntent i : intents.orphaned(c.id())) {
            ExecReport report = rt.execReport(view, i.sessionId());
            if (report instanceof ExecReport.Running r) {
                b.putExecSession(new ExecSession(i.sessionId(), i.command(), r.pid(), true, -1));
            } else {
                if (report instanceof ExecReport.Exited e) {
                    if (i.detached()) { // a detached session stays listed, stopped, as one recorded in time would
                        b.putExecSession(new ExecSession(i.sessionId(), i.command(), 0, false, e.exitCode()));
                    }
                    ctx.events().execDied(c, e.exitCode());
                } else {
                    b.removeExecSession(i.sessionId()); // never started
                }
                rt.releaseExec(view, i.sessionId());
            }
            changed = true;
        }
        return changed;
    }

    private boolean reap(Container c, OciRuntime rt, RuntimeContainer view, ContainerState.Builder b) {
        boolean changed = false;
        for (ExecSession s : c.state().execSessions().values()) {
            if (!s.running()) {
                continue;
            }
            ExecReport report = rt.execReport(view, s.id());
            if (report instanceof ExecReport.Running) {
                continue;
            }
            int exitCode = report instanceof ExecReport.Exited e ? e.exitCode() : -1;
            b.putExecSession(new ExecSession(s.id(), s.command(), 0, false, exitCode));
            ctx.events().execDied(c, exitCode);
            rt.releaseExec(view, s.id());
            changed = true;
        }
        return changed;
    }
}
