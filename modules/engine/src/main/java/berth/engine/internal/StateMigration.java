package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.spi.state.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code system migrate-state}: every record copied to another backend, verified, the source untouched. */
public final class StateMigration {
    private final EngineContext ctx;

    public StateMigration(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Every volume record, read back equal, or a failure naming the volume. */
    private void copyVolumes(StateStore target, String backend) {
        if (!target.allVolumes().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the " + backend + " state in " + ctx.config().staticDir()
                    + " already holds volumes; refusing to merge");
        }
        for (berth.kernel.model.Volume v : ctx.state().allVolumes()) {
            target.addVolume(v);
            if (!target.volume(v.name()).equals(v)) {
                throw new BerthException(ErrorCode.STATE_CORRUPT, "verification failed: volume " + v.name()
                        + " differs in the " + backend + " state after copying");
            }
        }
    }

    /** The number of records copied; fails, naming the container, unless every one reads back the same. */
    public int copyTo(String backend) {
        List<Container> all = ctx.state().allContainers();
        try (StateStore target = ctx.plugins().open(backend)) {
            if (!target.allContainers().isEmpty()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the " + backend + " state in " + ctx.config().staticDir()
                        + " already holds containers; refusing to merge");
            }
            for (Container c : DependencyGraph.dependenciesFirst(all)) {
                target.addContainer(c); // a backend may check that a dependency exists
            }
            List<Container> copied = target.allContainers();
            Map<String, Container> byId = new HashMap<>();
            copied.forEach(c -> byId.put(c.id(), c));
            for (Container c : all) {
                Container t = byId.get(c.id());
                if (t == null || !Json.write(t.toJson()).equals(Json.write(c.toJson()))) {
                    throw new BerthException(ErrorCode.STATE_CORRUPT, "verification failed: container " + c.name()
                            + " differs in the " + backend + " state after copying");
                }
            }
            copyVolumes(target, backend);
            if (copied.size() != all.size()) {
                throw new BerthException(ErrorCode.STATE_CORRUPT, "verification failed: " + all.size() + " records copied, "
                        + copied.size() + " found in the " + backend + " state");
            }
        }
        return all.size();
    }
}
