package berth.state.sqlite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.state.testkit.Workload;
import berth.support.FileTrees;
import berth.testsupport.FileCorruption;
import berth.testsupport.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Hostile SQLite files (seeded JUnit loops on {@link berth.testsupport.Fuzz}): a valid store's file with bytes flipped in random pages, or truncated
 * anywhere. Opening, reading and writing it either work or fail with a {@link BerthException} naming
 * the file — never another exception, a hang (each try has a time limit) or an OutOfMemoryError.
 *
 * <p>CI runs a fixed seed and the tries below (some seconds); {@code -Dberth.fuzz.factor=20} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link berth.testsupport.Fuzz}).
 * Files that ever failed are kept in {@link SqliteCorruptionCorpusTest}.
 */
class SqliteCorruptionFuzzTest {
    static final int PAGE = 4096;
    private static Path tmp;
    /** A store with enough containers for interior b-tree pages, overflow values and a freelist. */
    private static byte[] template;

    @BeforeAll
    static void makeTemplate() throws IOException {
        tmp = Files.createTempDirectory("berth-fuzz-sqlite");
        Path dir = tmp.resolve("template");
        try (StateStore s = open(dir, new ArrayList<>())) {
            for (int i = 0; i < 60; i++) {
                s.addContainer(Workload.container("fz", 0, i, 1));
            }
            for (int i = 0; i < 60; i += 3) {
                s.removeContainer(Workload.id("fz", 0, i)); // freed pages
            }
            for (int i = 1; i < 60; i += 3) {
                s.saveContainer(Workload.container("fz", 0, i, 2));
            }
        }
        template = Files.readAllBytes(db(dir));
    }

    @AfterAll
    static void removeTmp() {
        FileTrees.delete(tmp);
    }

    /** Every copy is opened with the template's paths: the file records them (a mismatch is refused). */
    static StateStore open(Path dir, List<String> warnings) {
        return new SqliteStateStoreProvider().open(new StateStoreConfig(dir, Workload.dbConfig(tmp.resolve("template")), Map.of(), warnings::add));
    }

    static Path db(Path dir) {
        return dir.resolve(SqliteFiles.FILE_NAME).toAbsolutePath();
    }

    /** The store's ordinary answers about its content, which need not name the file. */
    private static final Set<ErrorCode> ANSWERS = Set.of(ErrorCode.NO_SUCH_CONTAINER, ErrorCode.CONTAINER_EXISTS, ErrorCode.NAME_IN_USE);

    /** Runs {@code action}: its value, or the BerthException it threw, naming the file unless an ordinary answer. */
    static Object attempt(Path file, Supplier<?> action) {
        try {
            return action.get();
        } catch (BerthException e) {
            assertTrue(ANSWERS.contains(e.code()) || e.getMessage().contains(file.toString()),
                    "the error does not name the file: " + e.getMessage());
            return e;
        }
    }

    /**
     * Opens the damaged file in {@code dir}, reads everything, looks one up, then adds a container
     * (and removes one); when a write was let through, every record readable before it must still be
     * (quick_check at open refuses writes to a damaged tree, where SQLite could lose rows).
     */
    static void exercise(Path dir) {
        Path f = db(dir);
        List<String> warnings = new ArrayList<>();
        String outcome = Fuzz.within(Duration.ofSeconds(20), () -> {
            Object store = attempt(f, () -> open(dir, warnings));
            if (!(store instanceof StateStore s)) {
                return "open refused";
            }
            Object before;
            Object added;
            Object removed;
            try {
                before = attempt(f, s::allContainers);
                attempt(f, () -> s.lookupContainer(Workload.name("fz", 0, 4)));
                attempt(f, () -> s.hasContainer(Workload.id("fz", 0, 7)));
                added = attempt(f, () -> {
                    s.addContainer(Workload.container("fz", 1, 0, 0));
                    return "added";
                });
                removed = attempt(f, () -> {
                    s.removeContainer(Workload.id("fz", 0, 1));
                    return "removed";
                });
                if (before instanceof List<?> l) {
                    for (Object c : l) {
                        assertTrue(((Container) c).name() != null && !((Container) c).name().isEmpty(), "a nameless record listed");
                    }
                }
            } finally {
                s.close();
            }
            boolean wrote = !(added instanceof BerthException) || !(removed instanceof BerthException);
            if (wrote && before instanceof List<?> l) {
                // a write was let through, so quick_check found nothing: no record readable before it may be lost
                assertNothingLost(dir, f, l, warnings);
            }
            return (before instanceof BerthException ? "read refused" : "read") + ", "
                    + (added instanceof BerthException ? "add refused" : "added");
        });
        OUTCOMES.count(outcome);
    }

    private static void assertNothingLost(Path dir, Path f, List<?> before, List<String> warnings) {
        Object again = attempt(f, () -> open(dir, warnings));
        if (!(again instanceof StateStore s)) {
            throw new AssertionError("a store that took a write cannot be opened again: " + again);
        }
        try {
            Object after = attempt(f, s::allContainers);
            if (!(after instanceof List<?> now)) {
                throw new AssertionError("a store that took a write cannot be read again: " + after);
            }
            Set<String> ids = new java.util.HashSet<>();
            now.forEach(c -> ids.add(((Container) c).id()));
            for (Object c : before) {
                String id = ((Container) c).id();
                assertTrue(ids.contains(id) || id.equals(Workload.id("fz", 0, 1)), "record " + id + " was lost by a write; warnings: " + warnings);
            }
        } finally {
            s.close();
        }
    }

    /** How the tries went (open refused, read, add refused, ...): printed after each test. */
    private static final FileCorruption OUTCOMES = new FileCorruption();

    @org.junit.jupiter.api.AfterEach
    void printOutcomes(org.junit.jupiter.api.TestInfo info) {
        System.out.println(info.getDisplayName() + " outcomes: " + OUTCOMES.drain());
    }

    private static Path tryDir() {
        return tmp.resolve("t" + System.nanoTime());
    }

    private static void write(Path dir, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(db(dir), bytes);
    }

    /** A few bytes changed in a few pages: the header, b-tree, freelist and overflow pages alike. */
    @Test
    void flippedBytes() {
        Fuzz.forAll(300, g -> FileCorruption.flippedBytes(g, template, PAGE), bad -> {
            Path dir = tryDir();
            write(dir, bad);
            exercise(dir);
            FileTrees.delete(dir);
        });
    }

    /** The file cut anywhere, at a page boundary or not, or grown with zeroes. */
    @Test
    void truncatedOrGrown() {
        Fuzz.forAll(300, g -> FileCorruption.truncatedOrGrownLength(g, template.length, PAGE), len -> {
            Path dir = tryDir();
            write(dir, Arrays.copyOf(template, len));
            exercise(dir);
            FileTrees.delete(dir);
        });
    }
}
