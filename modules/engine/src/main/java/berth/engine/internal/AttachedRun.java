package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.RestartPolicy;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code run} and {@code start -a}: prepares the container, attaches to it, starts it and copies its
 * output until it exits (or the user detaches), then cleans up itself; the runtime's cleanup command
 * sees the marker this process wrote and stands down.
 */
public final class AttachedRun {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final Starter starter;
    private final Teardown teardown;
    private final ExitCleanup cleanup;
    private final RecordRemoval records;

    public AttachedRun(EngineContext ctx, ExitTracker exits, Starter starter, Teardown teardown, ExitCleanup cleanup,
                       RecordRemoval records) {
        this.ctx = ctx;
        this.exits = exits;
        this.starter = starter;
        this.teardown = teardown;
        this.cleanup = cleanup;
        this.records = records;
    }

    /** The container's exit code, or -1 when detached. With auto-remove the container is gone afterwards. */
    public int run(Container c0, AttachStreams streams, int[] terminalSize) {
        Starter.checkStartable(c0, "it is already running; use attach");
        starter.startDependencies(c0);
        Path marker = CleanupCommand.marker(ctx.paths(c0.id()));
        Container created = ctx.withLock(c0.id(), () -> {
            Container c = starter.prepareToStart(exits.applyExit(ctx.state().container(c0.id())));
            writeMarker(marker, c);
            return c;
        });
        OciRuntime rt = ctx.runtime(created);
        Container[] running = {created};
        AttachResult result;
        try {
            result = rt.attach(ctx.runtimeView(created), streams, () -> {
                if (terminalSize != null && created.config().terminal()) {
                    rt.resizeTerminal(ctx.runtimeView(created), terminalSize[0], terminalSize[1]);
                }
                running[0] = ctx.withLock(created.id(), () -> starter.startCreated(created));
                ctx.events().container(running[0], EventStatus.ATTACH);
            });
        } catch (RuntimeException e) {
            deleteMarker(marker);
            teardown.cleanUpQuietly(created.id());
            throw e;
        }
        if (result == AttachResult.DETACHED) {
            deleteMarker(marker);
            return berth.engine.Engine.DETACHED; // not -1: that is a real exit code (conmon's --timeout)
        }
        try {
            Trace.mark("attach: output closed");
            if (running[0].config().autoRemove() && running[0].config().restartPolicy().kind() == RestartPolicy.Kind.NO) {
                Integer code = exitAndRemove(running[0]);
                if (code != null) {
                    Trace.mark("removed");
                    return code;
                }
            }
            Container done = exits.awaitExit(running[0]);
            Trace.mark("exit recorded");
            int code = done.state().exitCode();
            cleanup.cleanup(done.id());
            Trace.mark("cleanup done");
            return code;
        } finally {
            deleteMarker(marker);
        }
    }

    /**
     * {@code run --rm} once the output closed: from the recorded exit to the removed record in one
     * locked pass. The stopped and exited states are never written, as the record is about to go; a
     * crash midway leaves it running with its exit recorded, which the next command's sync turns into
     * stopped. Null when this path does not apply (no exit yet, or the container changed meanwhile).
     */
    private Integer exitAndRemove(Container c) {
        OciRuntime rt = ctx.runtime(c);
        if (ExitTracker.exitSoon(rt, ctx.runtimeView(c)).isEmpty()) {
            return null;
        }
        Integer code = ctx.withLock(c.id(), () -> {
            Optional<Container> found = ctx.state().findContainer(c.id());
            if (found.isEmpty() || !found.get().status().isRunningOrPaused()) {
                return null;
            }
            Container cur = found.get();
            if (!(rt.exitReport(ctx.runtimeView(cur)) instanceof ExitReport.Exited e)) {
                return null;
            }
            ExitStatus status = e.status();
            Container done = cur.withState(ExitTracker.stopped(cur, status).build());
            ctx.events().died(done, status.exitCode());
            ctx.intents().begin(done, "remove");
            try {
                Container clean = teardown.cleanUpForRemoval(done);
                ctx.events().container(clean, EventStatus.CLEANUP);
                records.removeLocked(clean);
            } catch (BerthException ex) {
                ctx.state().findContainer(c.id()).ifPresent(x -> {
                    if (x.status().isRunningOrPaused()) {
                        ctx.state().saveContainer(done); // what is known so far, for rm to finish
                    }
                });
                throw ex;
            }
            ctx.intents().end(c.id());
            return status.exitCode();
        });
        if (code != null) {
            ctx.locks().forget(c.id());
        }
        return code;
    }

    /**
     * Only without a restart policy: then this process does the cleanup and the cleanup command (a
     * second JVM) can stand down. With a policy, the cleanup command restarts it.
     */
    private static void writeMarker(Path marker, Container c) {
        if (c.config().restartPolicy().kind() != RestartPolicy.Kind.NO) {
            return;
        }
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            // without the marker the cleanup command simply does the cleanup
        }
    }

    private static void deleteMarker(Path marker) {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            // stale markers name a dead PID and are ignored
        }
    }
}
