package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one walk over containers' dependencies ({@code --requires}): dependencies before the containers
 * that need them. Starting a container starts its dependencies in this order; migration copies
 * records in it; {@code rm --all} removes in its reverse.
 */
public final class DependencyGraph {
    private DependencyGraph() {
    }

    /** What to do on meeting a cycle. */
    public enum Cycles {
        /** Fail: a container cannot start after itself. */
        FAIL,
        /** Break the cycle where it is met (copying records, removing them). */
        BREAK
    }

    /**
     * Every container reachable from {@code roots} (the roots included), each after its dependencies.
     * {@code dependenciesOf} gives a container's dependency IDs, or null for an unknown ID (left out).
     */
    public static List<String> dependenciesFirst(Collection<String> roots, Function<String, List<String>> dependenciesOf, Cycles cycles) {
        List<String> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String r : roots) {
            visit(r, dependenciesOf, cycles, new HashSet<>(), done, out);
        }
        return out;
    }

    private static void visit(String id, Function<String, List<String>> dependenciesOf, Cycles cycles, Set<String> visiting,
                              Set<String> done, List<String> out) {
        if (done.contains(id)) {
            return;
        }
        if (!visiting.add(id)) {
            if (cycles == Cycles.FAIL) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "dependency cycle through container " + id);
            }
            return;
        }
        List<String> deps = dependenciesOf.apply(id);
        if (deps == null) {
            return; // unknown: not part of the order
        }
        for (String d : deps) {
            visit(d, dependenciesOf, cycles, visiting, done, out);
        }
        visiting.remove(id);
        done.add(id);
        out.add(id);
    }

    /** The dependencies of one container that must start before it, in start order (itself excluded). */
    public static List<String> startOrder(Container c, Function<String, Container> lookup) {
        List<String> order = dependenciesFirst(c.config().dependencies(), id -> lookup.apply(id).config().dependencies(), Cycles.FAIL);
        if (order.contains(c.id())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "dependency cycle through container " + c.id());
        }
        return order;
    }

    /** The containers in dependency order, every record kept (cycles broken). */
    public static List<Container> dependenciesFirst(Collection<Container> all) {
        Map<String, Container> byId = new LinkedHashMap<>();
        all.forEach(c -> byId.put(c.id(), c));
        List<Container> out = new ArrayList<>();
        for (String id : dependenciesFirst(byId.keySet(), id -> byId.containsKey(id) ? byId.get(id).config().dependencies() : null,
                Cycles.BREAK)) {
            out.add(byId.get(id));
        }
        return out;
    }

    /** Each container's dependents (the containers that name it), by ID. */
    public static Map<String, List<String>> dependents(Collection<Container> all) {
        Map<String, List<String>> out = new HashMap<>();
        for (Container c : all) {
            for (String d : c.config().dependencies()) {
                out.computeIfAbsent(d, k -> new ArrayList<>()).add(c.id());
            }
        }
        return out;
    }
}
