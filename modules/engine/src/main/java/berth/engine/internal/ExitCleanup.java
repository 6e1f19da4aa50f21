package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.RestartPolicy;
import java.util.List;
import java.util.Optional;

/**
 * What happens after a container's process exits ({@code berth container cleanup}, the runtime's
 * cleanup command, and the end of stop): record the exit, then either restart it per its restart
 * policy or tear down its network and runtime state; an auto-remove container is then removed.
 */
public final class ExitCleanup {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final Teardown teardown;
    private final Starter starter;
    private final ContainerInit init;
    private final RecordRemoval removal;

    public ExitCleanup(EngineContext ctx, ExitTracker exits, Teardown teardown, Starter starter, ContainerInit init,
                       RecordRemoval removal) {
        this.ctx = ctx;
        this.exits = exits;
        this.teardown = teardown;
        this.starter = starter;
        this.init = init;
        this.removal = removal;
    }

    /** Null when the container is gone (removed by an attached run, rm, or here because of --rm). */
    public Container cleanup(String id) {
        if (!java.nio.file.Files.isDirectory(ctx.config().staticDir())) {
            return null; // no state at all (system reset ran): opening the store would only make files again
        }
        Optional<Container> found = ctx.state().findContainer(id);
        if (found.isEmpty()) {
            return null;
        }
        Container result = ctx.withLock(found.get().id(), () -> {
            Optional<Container> again = ctx.state().findContainer(found.get().id());
            if (again.isEmpty()) {
                return null;
            }
            Container c = exits.applyExit(again.get());
            if (c.status().isRunningOrPaused() || c.status() == ContainerStatus.CREATED && c.state().pid() > 0) {
                return c; // still running: nothing to clean
            }
            if (c.state().restartPolicyMatch() && !c.state().stoppedByUser() && shouldRestart(c)) {
                return restartByPolicy(c);
            }
            if (alreadyCleanedUp(c)) {
                // stop cleans up itself and conmon's exit command comes too: one exit, one cleanup event
                return c;
            }
            ctx.intents().begin(c, "cleanup");
            Container done = teardown.cleanUp(c);
            ctx.intents().end(c.id());
            ctx.events().container(done, EventStatus.CLEANUP);
            return done;
        });
        if (result != null && result.config().autoRemove() && !result.status().isRunningOrPaused()) {
            removal.removeAfterCleanup(result);
            return null;
        }
        return result;
    }

    /** Exited (deleted from the runtime) or never started, with no network namespace left to tear down. */
    private static boolean alreadyCleanedUp(Container c) {
        return (c.status() == ContainerStatus.EXITED || c.status() == ContainerStatus.CONFIGURED) && c.state().netNsPath() == null;
    }

    /** Seed 000's restart decision for a container whose exit was not caused by the user. */
    public static boolean shouldRestart(Container c) {
        RestartPolicy p = c.config().restartPolicy();
        return switch (p.kind()) {
            case NO -> false;
            case ON_FAILURE -> c.state().exitCode() != 0 && (p.maxRetries() == 0 || c.state().restartCount() < p.maxRetries());
            default -> true;
        };
    }

    private Container restartByPolicy(Container c) {
        List<String> notRunning = starter.dependenciesNotRunning(c);
        if (!notRunning.isEmpty()) {
            ctx.warnings().accept("not restarting container " + c.name() + ": dependencies not running: " + String.join(",", notRunning));
            return teardown.cleanUp(c);
        }
        Container cur = c.withState(c.state().toBuilder().restartCount(c.state().restartCount() + 1).build());
        ctx.state().saveContainer(cur);
        try {
            cur = teardown.deleteFromRuntime(cur, true);
            teardown.tearDownNetwork(cur);
            cur = init.init(ctx.state().container(cur.id()), true);
            ctx.events().container(cur, EventStatus.RESTART);
            return starter.startCreated(cur);
        } catch (RuntimeException e) {
            ctx.warnings().accept("restarting container " + c.name() + " failed: " + e.getMessage());
            return teardown.cleanUp(ctx.state().container(c.id()));
        }
    }
}
