package berth.engine.internal;

import berth.engine.ExecOptions;
import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.ExecSession;
import berth.kernel.model.AttachStreams;
import berth.kernel.spi.runtime.ExecReport;
import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.ExecResult;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.spi.runtime.RuntimeFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code exec}: a process run in a running container; a detached one is recorded in its state. The
 * session's intent is written before its monitor starts and ends once the session is recorded (detached)
 * or its files are released (attached), so a starter killed half way leaves something {@link Recovery}
 * finishes.
 */
public final class ExecSessions {
    private final EngineContext ctx;
    private final ExecIntents intents;

    public ExecSessions(EngineContext ctx, ExecIntents intents) {
        this.ctx = ctx;
        this.intents = intents;
    }

    /** Its exit code, or -1 when detached. */
    public int exec(Container c, ExecOptions o, AttachStreams streams) {
        if (c.status() != ContainerStatus.RUNNING) {
            throw ContainerErrors.improper(c, "can only exec in running containers");
        }
        if (o.command().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "exec in container " + c.name() + ": no command given");
        }
        OciRuntime rt = ctx.runtime(c);
        if (!rt.features().contains(RuntimeFeature.EXEC)) {
            throw ContainerErrors.unsupported(c, rt.name(), "run a process in a running container (exec)");
        }
        String user = null;
        if (o.user() != null && !o.user().isEmpty()) {
            UserResolver.ResolvedUser u = UserResolver.resolve(Path.of(c.config().rootfs()), o.user(), c.name());
            user = u.uid() + ":" + u.gid();
        }
        String session = o.sessionId() == null ? Ids.newId() : checkedSessionId(c, o.sessionId());
        List<String> env = new ArrayList<>(o.env());
        if (o.terminal()) {
            env.add(0, "TERM=xterm");
        }
        ExecRequest req = new ExecRequest(session, o.command(), env, o.workingDir(), user, o.terminal(), o.interactive(), o.detach());
        RuntimeContainer view = ctx.execView(c);
        intents.begin(c.id(), session, o.detach(), o.command());
        CrashPoints.here("exec:after-intent");
        ctx.events().container(c, EventStatus.EXEC);
        ExecResult r;
        try {
            r = rt.exec(view, req, streams);
        } catch (BerthException e) {
            if (!(rt.execReport(view, session) instanceof ExecReport.Running)) {
                rt.releaseExec(view, session);
                intents.end(c.id(), session);
            } // else it runs on without its starter: the next command records it from the intent
            throw e;
        }
        CrashPoints.here("exec:after-runtime-exec");
        if (!o.detach()) {
            ctx.events().execDied(c, r.exitCode());
            rt.releaseExec(view, session);
            intents.end(c.id(), session);
            return r.exitCode();
        }
        ctx.withLock(c.id(), () -> {
            Container cur = ctx.state().container(c.id());
            ctx.state().saveContainer(cur.withState(cur.state().toBuilder()
                    .putExecSession(new ExecSession(session, o.command(), r.pid(), true, -1)).build()));
        });
        intents.end(c.id(), session);
        return -1;
    }

    /** A caller's session ID: a file name under the container's run dir, so 64 hex digits like every ID berth makes. */
    private static String checkedSessionId(Container c, String id) {
        if (!Terminals.isSessionId(id)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "exec in container " + c.name() + ": invalid session ID \"" + id
                    + "\" (64 hex digits)");
        }
        return id;
    }
}
