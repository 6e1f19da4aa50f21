package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.RestartPolicy;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings a container's record up to date with what its runtime reports (seed 000's syncContainer):
 * a running, paused or stopping container whose exit the runtime recorded is now stopped, with its
 * exit code and OOM flag; one whose exit was lost is stopped with exit code -1. Also the waits for an
 * exit. Every change is saved under the container's lock.
 */
public final class ExitTracker {
    private final EngineContext ctx;

    public ExitTracker(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** The container brought up to date (locks only when there is something to record). */
    public Container sync(Container c) {
        if (!c.status().isActive()) {
            return c;
        }
        ExitReport report = ctx.runtime(c).exitReport(ctx.runtimeView(c));
        if (report instanceof ExitReport.Running) {
            return c;
        }
        return ctx.withLock(c.id(), () -> applyExit(ctx.state().container(c.id())));
    }

    /** Under the lock: records the runtime's report, if it has one, for a running/paused/stopping container. */
    public Container applyExit(Container c) {
        ContainerStatus old = c.status();
        if (!old.isActive()) {
            return c;
        }
        ExitReport report = ctx.runtime(c).exitReport(ctx.runtimeView(c));
        Container s;
        if (report instanceof ExitReport.Exited e) {
            boolean match = c.config().restartPolicy().kind() != RestartPolicy.Kind.NO
                    && (old == ContainerStatus.RUNNING || old == ContainerStatus.PAUSED) && !c.state().stoppedByUser();
            s = c.withState(stopped(c, e.status()).restartPolicyMatch(match || c.state().restartPolicyMatch()).build());
        } else if (report instanceof ExitReport.Lost) {
            // whatever watched the container is gone without a record (killed, or the host rebooted)
            s = c.withState(c.state().toBuilder().status(ContainerStatus.STOPPED).pid(0).conmonPid(0)
                    .exitCode(-1).exited(true).finishedAt(Instant.now()).build());
        } else {
            return c;
        }
        ctx.state().saveContainer(s);
        ctx.events().died(s, s.state().exitCode());
        return s;
    }

    /** The state of a container whose process exited as the runtime reported. */
    public static ContainerState.Builder stopped(Container c, ExitStatus e) {
        return c.state().toBuilder().status(ContainerStatus.STOPPED).pid(0).conmonPid(0)
                .exitCode(e.exitCode()).oomKilled(e.oomKilled()).exited(true).finishedAt(e.finishedAt());
    }

    /** The recorded exit, if any, polled every 0.2 ms for up to 50 ms (conmon writes it within a millisecond of closing the output). */
    public static Optional<ExitStatus> exitSoon(OciRuntime rt, RuntimeContainer r) {
        long deadline = System.nanoTime() + 50_000_000L;
        while (true) {
            ExitReport report = rt.exitReport(r);
            if (report instanceof ExitReport.Exited e) {
                return Optional.of(e.status());
            }
            if (report instanceof ExitReport.Lost || System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
            LockSupport.parkNanos(200_000L);
        }
    }

    /** Waits for the runtime to report the exit, then records it; a process that outlives its output is polled slowly. */
    public Container awaitExit(Container c) {
        OciRuntime rt = ctx.runtime(c);
        RuntimeContainer r = ctx.runtimeView(c);
        if (exitSoon(rt, r).isEmpty()) {
            while (rt.exitReport(r) instanceof ExitReport.Running) {
                try {
                    Thread.sleep(20); // no hurry: the process is still running after closing its output
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ctx.state().container(c.id());
                }
            }
        }
        return ctx.withLock(c.id(), () -> applyExit(ctx.state().container(c.id())));
    }

    /** Waits until the container is no longer running; its exit code. */
    public int waitExit(Container c) {
        while (c.status().isActive()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Optional<Container> again = ctx.state().findContainer(c.id());
            if (again.isEmpty()) {
                return c.state().exitCode();
            }
            c = sync(again.get());
        }
        return c.state().exitCode();
    }
}
