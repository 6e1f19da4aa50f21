package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.util.ArrayList;
import java.util.List;

/** Finds containers by name, ID or unique ID prefix, each brought up to date with its runtime. */
public final class ContainerLookup {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final Recovery recovery;

    public ContainerLookup(EngineContext ctx, ExitTracker exits, Recovery recovery) {
        this.ctx = ctx;
        this.exits = exits;
        this.recovery = recovery;
    }

    public Container find(String idOrName) {
        return exits.sync(recovery.recover(ctx.state().lookupContainer(idOrName)));
    }

    /** Every container; one that cannot be brought up to date is listed as recorded, with a warning. */
    public List<Container> all() {
        recovery.recoverAll();
        List<Container> all = ctx.state().allContainers();
        List<Container> out = new ArrayList<>(all.size());
        for (Container c : all) {
            try {
                out.add(exits.sync(c));
            } catch (BerthException e) {
                if (e.code() != ErrorCode.NO_SUCH_CONTAINER) {
                    ctx.warnings().accept(e.getMessage());
                    out.add(c);
                }
            }
        }
        return out;
    }
}
