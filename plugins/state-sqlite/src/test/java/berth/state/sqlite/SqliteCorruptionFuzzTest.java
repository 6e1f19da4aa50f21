package berth.state.sqlite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.Container;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreProvider;
import berth.state.testkit.CorruptedFileSuite;
import berth.state.testkit.Workload;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hostile SQLite files (the kit's {@link CorruptedFileSuite}), and SQLite's promise: when a write was
 * let through, every record readable before it still is once the store is opened again (quick_check at
 * open refuses writes to a damaged tree, where SQLite could lose rows). Files that ever failed are kept
 * in {@link SqliteCorruptionCorpusTest}.
 */
class SqliteCorruptionFuzzTest extends CorruptedFileSuite {
    @Override
    protected StateStoreProvider provider() {
        return new SqliteStateStoreProvider();
    }

    @Override
    protected String fileName() {
        return SqliteFiles.FILE_NAME;
    }

    @Override
    protected void checkWhileOpen(StateStore s, Try t) {
        if (t.before() instanceof List<?> l) {
            for (Object c : l) {
                assertTrue(((Container) c).name() != null && !((Container) c).name().isEmpty(), "a nameless record listed");
            }
        }
    }

    @Override
    protected void checkAfterClose(Try t) {
        if (!t.wrote() || !(t.before() instanceof List<?> before)) {
            return;
        }
        Object again = attempt(t.file(), () -> open(t.dir(), t.warnings()));
        if (!(again instanceof StateStore s)) {
            throw new AssertionError("a store that took a write cannot be opened again: " + again);
        }
        try {
            Object after = attempt(t.file(), s::allContainers);
            if (!(after instanceof List<?> now)) {
                throw new AssertionError("a store that took a write cannot be read again: " + after);
            }
            Set<String> ids = new HashSet<>();
            now.forEach(c -> ids.add(((Container) c).id()));
            for (Object c : before) {
                String id = ((Container) c).id();
                assertTrue(ids.contains(id) || id.equals(Workload.id("fz", 0, 1)), "record " + id + " was lost by a write; warnings: " + t.warnings());
            }
        } finally {
            s.close();
        }
    }
}
