package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.trace.Trace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Seed 000's start: dependencies first, init if needed, then the runtime's start. */
public final class Starter {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final ContainerInit init;
    private final Teardown teardown;
    private final ContainerNetwork network;
    private final Hooks hooks;

    public Starter(EngineContext ctx, ExitTracker exits, ContainerInit init, Teardown teardown, ContainerNetwork network, Hooks hooks) {
        this.ctx = ctx;
        this.exits = exits;
        this.init = init;
        this.teardown = teardown;
        this.network = network;
        this.hooks = hooks;
    }

    /** Starts a container and its dependencies; returns it running. */
    public Container start(Container c0) {
        checkStartable(c0, "it is already running");
        startDependencies(c0);
        return ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            if (c.status() == ContainerStatus.RUNNING) {
                return c;
            }
            c = prepareToStart(c);
            try {
                return startCreated(c);
            } catch (RuntimeException e) {
                teardown.cleanUpQuietly(c.id());
                throw e;
            }
        });
    }

    /**
     * {@code init}: network, spec and the runtime's create, without the start; the container must be
     * created (configured) or stopped. Dependencies must already run (podman's non-recursive init).
     */
    public Container init(Container c0) {
        return ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            ContainerStatus s = c.status();
            if (s != ContainerStatus.CONFIGURED && s != ContainerStatus.STOPPED && s != ContainerStatus.EXITED) {
                throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "container " + c.id() + " has already been created in runtime");
            }
            return prepareToStart(c);
        });
    }

    /** Refuses a container that cannot be started, in podman's words. */
    public static void checkStartable(Container c, String whenRunning) {
        if (c.status() == ContainerStatus.RUNNING) {
            throw ContainerErrors.improper(c, whenRunning);
        }
        if (c.status() == ContainerStatus.PAUSED) {
            throw ContainerErrors.improper(c, "cannot start a paused container, unpause it");
        }
        if (!c.status().canStart()) {
            throw ContainerErrors.improper(c, "it must be created or stopped to be started");
        }
    }

    /** Under the lock: a stopped container's runtime remains removed, then init; leaves it created. */
    public Container prepareToStart(Container c) {
        if (!c.status().canStart()) {
            throw ContainerErrors.improper(c, "it must be created or stopped to be started");
        }
        List<String> notRunning = dependenciesNotRunning(c);
        if (!notRunning.isEmpty()) {
            throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "some dependencies of container " + c.name()
                    + " are not started: " + String.join(",", notRunning));
        }
        try {
            if (c.status() == ContainerStatus.STOPPED) {
                c = teardown.deleteFromRuntime(c, true);
            }
            if (c.status() == ContainerStatus.CONFIGURED || c.status() == ContainerStatus.EXITED) {
                c = init.init(c, false);
            }
            return c;
        } catch (RuntimeException e) {
            teardown.cleanUpQuietly(c.id());
            throw e;
        }
    }

    /** Under the lock: the runtime starts the created container. */
    public Container startCreated(Container c) {
        OciRuntime rt = ctx.runtime(c);
        ContainerHooks h = hooks.hooksFor(c.config(), false);
        hooks.run(h, HookStage.START_CONTAINER, c, ctx.paths(c.id()).bundleDir(), c.state().pid(), 0);
        Trace.mark("start: starting");
        Container cur = c.withState(c.state().toBuilder().status(ContainerStatus.RUNNING).startedAt(Instant.now()).build());
        ctx.intents().begin(c, "start");
        // the running state is written while the runtime starts the process (each takes a few ms); a
        // crash in between leaves a record that says running for a container that is only created,
        // which stop and rm handle alike
        Concurrently saving = Concurrently.run("berth-save", () -> ctx.state().saveContainer(cur));
        try {
            rt.start(ctx.runtimeView(c));
        } catch (RuntimeException e) {
            try {
                saving.await();
                ctx.state().saveContainer(c); // back to created: it never ran
                ctx.intents().end(c.id());
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
        Trace.mark("start: runtime start done");
        saving.await();
        CrashPoints.here("start:after-runtime-start");
        ctx.intents().end(c.id());
        Trace.mark("start: running saved");
        network.announceRunning(cur);
        ctx.events().container(cur, EventStatus.START);
        hooks.run(h, HookStage.POSTSTART, cur, ctx.paths(c.id()).bundleDir(), cur.state().pid(), 0); // failures are warnings
        return cur;
    }

    /** The names of the container's dependencies that are not running. */
    public List<String> dependenciesNotRunning(Container c) {
        List<String> out = new ArrayList<>();
        for (String d : c.config().dependencies()) {
            Container dep = exits.sync(ctx.state().container(d));
            if (dep.status() != ContainerStatus.RUNNING) {
                out.add(dep.name());
            }
        }
        return out;
    }

    /** Starts every dependency that is not running, dependencies first; a cycle is an error. */
    public void startDependencies(Container c) {
        for (String id : DependencyGraph.startOrder(c, ctx.state()::container)) {
            Container dep = exits.sync(ctx.state().container(id));
            if (dep.status() == ContainerStatus.RUNNING) {
                continue;
            }
            try {
                start(dep);
            } catch (BerthException e) {
                throw new BerthException(e.code(), "starting dependency " + dep.name() + " of container " + c.name() + ": " + e.getMessage(), e);
            }
        }
    }
}
