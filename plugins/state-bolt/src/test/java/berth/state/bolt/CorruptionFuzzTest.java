package berth.state.bolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreProvider;
import berth.state.testkit.CorruptedFileSuite;
import berth.state.testkit.Workload;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hostile bolt files (the kit's {@link CorruptedFileSuite}), and bolt's own promise: a write that fails
 * loses nothing that could be read before it, and a failed add is not half done. Files that ever
 * failed are kept in {@link CorruptionCorpusTest}.
 */
class CorruptionFuzzTest extends CorruptedFileSuite {
    @Override
    protected StateStoreProvider provider() {
        return new BoltStateStoreProvider();
    }

    @Override
    protected String fileName() {
        return "bolt_state.db";
    }

    @Override
    protected int flippedTries() {
        return 400;
    }

    @Override
    protected void checkWhileOpen(StateStore s, Try t) {
        if (!(t.before() instanceof List<?> l)) {
            return;
        }
        Set<String> was = names(l);
        Object after = attempt(t.file(), s::allContainers);
        if (!(after instanceof List<?> al)) {
            return;
        }
        Set<String> now = names(al);
        if (t.added() instanceof BerthException) {
            assertTrue(!now.contains(Workload.name("fz", 1, 0)), "a failed add is half done");
        } else {
            was.add(Workload.name("fz", 1, 0));
        }
        if (!(t.removed() instanceof BerthException)) {
            was.remove(Workload.name("fz", 0, 1));
        }
        // nothing readable before is lost (more may be: a rewritten page can mend a listing)
        Set<String> lost = new TreeSet<>(was);
        lost.removeAll(now);
        assertEquals(Set.of(), lost, "lost by the writes");
    }

    private static Set<String> names(List<?> cs) {
        Set<String> out = new TreeSet<>();
        cs.forEach(c -> out.add(((Container) c).name()));
        return out;
    }
}
