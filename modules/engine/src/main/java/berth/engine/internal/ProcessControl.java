package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.RestartPolicy;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeFeature;

/**
 * Signals to a running container's process: stop (stop signal, then SIGKILL after the timeout, then
 * cleanup), kill, pause and unpause. Each checks the runtime's declared features before acting.
 */
public final class ProcessControl {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final ExitCleanup cleanup;
    private final Starter starter;

    public ProcessControl(EngineContext ctx, ExitTracker exits, ExitCleanup cleanup, Starter starter) {
        this.ctx = ctx;
        this.exits = exits;
        this.cleanup = cleanup;
        this.starter = starter;
    }

    /** Stops (if running) and starts again (seed 000 restartWithTimeout). */
    public Container restart(Container c, Integer timeout) {
        if (c.status() == ContainerStatus.PAUSED || c.status() == ContainerStatus.UNKNOWN) {
            throw ContainerErrors.improper(c, "unable to restart a container in a paused or unknown state");
        }
        if (c.status() == ContainerStatus.RUNNING) {
            stop(c, timeout);
        }
        Container started = starter.start(exits.sync(ctx.state().container(c.id())));
        ctx.events().container(started, EventStatus.RESTART);
        return started;
    }

    /** Stops a running container; the lock is not held while waiting, so other commands go on (seed 000, #8501). */
    public Container stop(Container c0, Integer timeout) {
        int t = timeout == null ? c0.config().stopTimeout() : timeout;
        OciRuntime rt = ctx.runtime(c0);
        Container stopping = ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            if (!c.status().isActive()) {
                // not running (perhaps between two restarts): stopping it still means "stay stopped",
                // so the pending cleanup must not restart it
                if (c.config().restartPolicy().kind() != RestartPolicy.Kind.NO && !c.state().stoppedByUser()) {
                    c = c.withState(c.state().toBuilder().stoppedByUser(true).restartPolicyMatch(false).build());
                    ctx.state().saveContainer(c);
                }
                return c;
            }
            if (c.status() == ContainerStatus.PAUSED) {
                rt.resume(ctx.runtimeView(c)); // a frozen process cannot handle its stop signal
            }
            Container s = c.withState(c.state().toBuilder().status(ContainerStatus.STOPPING).stoppedByUser(true).build());
            ctx.intents().begin(s, "stop"); // ended by the cleanup that follows the exit
            ctx.state().saveContainer(s);
            return s;
        });
        if (stopping.status() != ContainerStatus.STOPPING) {
            return stopping;
        }
        CrashPoints.here("stop:after-stopping-saved");
        // podman (stopWithAll): a container with its own PID namespace, as every berth container has,
        // gets its stop signal on the init process only; its children see it only if init passes it on
        rt.stop(ctx.runtimeView(stopping), t, false);
        CrashPoints.here("stop:after-runtime-stop");
        exits.awaitExit(stopping);
        Container done = cleanup.cleanup(stopping.id());
        ctx.intents().end(stopping.id());
        ctx.events().container(done != null ? done : stopping, EventStatus.STOP);
        return done;
    }

    /** Sends a signal to the container's init process. */
    public void kill(Container c0, int signal) {
        ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            if (!c.status().isActive()) { // podman kills a stopping one too: a stop waiting out its timeout is cut short
                throw ContainerErrors.improper(c, "can only kill running containers");
            }
            ctx.runtime(c).kill(ctx.runtimeView(c), signal, false);
            ctx.events().container(c, EventStatus.KILL);
        });
    }

    public Container pause(Container c0) {
        return ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            if (c.status() == ContainerStatus.PAUSED) {
                throw ContainerErrors.improper(c, "it is already paused");
            }
            if (c.status() != ContainerStatus.RUNNING) {
                throw ContainerErrors.improper(c, "\"" + c.status().display() + "\" is not running, can't pause");
            }
            OciRuntime rt = requirePause(c);
            rt.pause(ctx.runtimeView(c));
            Container paused = save(c, ContainerStatus.PAUSED);
            ctx.events().container(paused, EventStatus.PAUSE);
            return paused;
        });
    }

    public Container unpause(Container c0) {
        return ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            if (c.status() != ContainerStatus.PAUSED) {
                throw ContainerErrors.improper(c, "it is not paused, can't unpause");
            }
            requirePause(c).resume(ctx.runtimeView(c));
            Container running = save(c, ContainerStatus.RUNNING);
            ctx.events().container(running, EventStatus.UNPAUSE);
            return running;
        });
    }

    private OciRuntime requirePause(Container c) {
        OciRuntime rt = ctx.runtime(c);
        if (!rt.features().contains(RuntimeFeature.PAUSE)) {
            throw ContainerErrors.unsupported(c, rt.name(), "pause or unpause containers");
        }
        return rt;
    }

    private Container save(Container c, ContainerStatus status) {
        Container s = c.withState(c.state().toBuilder().status(status).build());
        ctx.state().saveContainer(s);
        return s;
    }
}
