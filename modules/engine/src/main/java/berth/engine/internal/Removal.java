package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** {@code rm}: a container (stopped first with force) after its dependents, and {@code rm --all}. */
public final class Removal {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final Teardown teardown;
    private final ProcessControl control;
    private final RecordRemoval records;
    private final Recovery recovery;

    public Removal(EngineContext ctx, ExitTracker exits, Teardown teardown, ProcessControl control, RecordRemoval records,
                   Recovery recovery) {
        this.recovery = recovery;
        this.ctx = ctx;
        this.exits = exits;
        this.teardown = teardown;
        this.control = control;
        this.records = records;
    }

    /** Removes one container; with force a running one is stopped first. Dependents block removal. */
    public void remove(Container c, boolean force, Integer timeout) {
        remove(c, ctx.state().dependents(c.id()), force, timeout);
    }

    /**
     * Every container, each after its dependents, from one read of the store (not one per container:
     * with a thousand containers that was quadratic). {@code done} hears of each ID, with the error
     * that kept it, if any; a container whose dependent could not be removed stays, as with rm.
     */
    public void removeAll(boolean force, Integer timeout, BiConsumer<String, BerthException> done) {
        recovery.recoverAll(); // what crashed processes left half done, records or not
        List<Container> all = ctx.state().allContainers();
        Map<String, List<String>> dependents = DependencyGraph.dependents(all);
        // dependents first; unrelated containers keep the store's order
        List<Container> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        List<Container> order = new ArrayList<>(DependencyGraph.dependenciesFirst(reversed));
        Collections.reverse(order);
        for (Container c : order) {
            List<String> left = dependents.getOrDefault(c.id(), List.of());
            try {
                remove(c, left, force, timeout);
                for (String d : c.config().dependencies()) {
                    List<String> of = dependents.get(d);
                    if (of != null) {
                        of.remove(c.id());
                    }
                }
                done.accept(c.id(), null);
            } catch (BerthException e) {
                done.accept(c.id(), e);
            }
        }
        if (force) {
            recovery.sweepUnrecorded();
        }
    }

    private void remove(Container c, List<String> dependents, boolean force, Integer timeout) {
        if (!dependents.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (String d : dependents) {
                names.add(ctx.state().findContainer(d).map(Container::name).orElse(d));
            }
            throw new BerthException(ErrorCode.DEPENDENCY_EXISTS, "container " + c.name()
                    + " has dependent containers which must be removed before it: " + String.join(", ", names));
        }
        if (c.status().isActive()) {
            if (!force) {
                // podman names the container by its full ID here (libpod removeContainer)
                throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "cannot remove container " + c.id()
                        + " as it is " + c.status().display()
                        + " - running or paused containers cannot be removed without force");
            }
            control.stop(c, timeout);
        }
        ctx.withLock(c.id(), () -> ctx.state().findContainer(c.id()).ifPresent(again -> {
            ctx.intents().begin(again, "remove");
            records.removeLocked(teardown.cleanUp(exits.applyExit(again)));
            ctx.intents().end(c.id());
        }));
        ctx.locks().forget(c.id());
    }
}
