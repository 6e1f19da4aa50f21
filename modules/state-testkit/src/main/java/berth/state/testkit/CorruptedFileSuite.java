package berth.state.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
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
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile database files for a single-file state backend (seeded JUnit loops on {@link Fuzz}): a valid
 * store's file with bytes flipped in random pages, or cut or grown anywhere. Opening, reading and
 * writing it either work or fail with a {@link BerthException} naming the file: never another
 * exception, a hang (each try has a time limit) or an OutOfMemoryError. What a backend promises about
 * the records once a write was let through differs (bolt checks in the same store, SQLite after
 * opening again), so that part is the subclass's.
 *
 * <p>CI runs a fixed seed and the tries below (some seconds); {@code -Dberth.fuzz.factor=20} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CorruptedFileSuite {
    /** The page size the corruptions aim at (both bolt's and SQLite's default). */
    protected static final int PAGE = 4096;
    /** The store's ordinary answers about its content, which need not name the file. */
    private static final Set<ErrorCode> ANSWERS = Set.of(ErrorCode.NO_SUCH_CONTAINER, ErrorCode.CONTAINER_EXISTS, ErrorCode.NAME_IN_USE);

    private final FileCorruption outcomes = new FileCorruption();
    private Path tmp;
    /** A store with enough containers for interior pages, overflow values and a freelist. */
    private byte[] template;

    /** The backend under test. */
    protected abstract StateStoreProvider provider();

    /** The database file's name in the store's directory. */
    protected abstract String fileName();

    /** One try's results so far: what was read before the writes, and what the writes answered. */
    protected record Try(Path dir, Path file, List<String> warnings, Object before, Object added, Object removed) {
        public boolean wrote() {
            return !(added instanceof BerthException) || !(removed instanceof BerthException);
        }
    }

    /** How many files with flipped bytes a run tries (times the fuzz factor). */
    protected int flippedTries() {
        return 300;
    }

    /** Checks made with the damaged store still open, after the writes. */
    protected abstract void checkWhileOpen(StateStore s, Try t);

    /** Checks made once the damaged store was closed. */
    protected void checkAfterClose(Try t) {
    }

    @BeforeAll
    void makeTemplate() throws IOException {
        tmp = Files.createTempDirectory("berth-fuzz-" + fileName().replace('.', '-'));
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
    void removeTmp() {
        FileTrees.delete(tmp);
    }

    @AfterEach
    void printOutcomes(TestInfo info) {
        System.out.println(info.getDisplayName() + " outcomes: " + outcomes.drain());
    }

    /** Every copy is opened with the template's paths: the file records them (a mismatch is refused). */
    protected StateStore open(Path dir, List<String> warnings) {
        return provider().open(new StateStoreConfig(dir, Workload.dbConfig(tmp.resolve("template")), Map.of(), warnings::add));
    }

    protected Path db(Path dir) {
        return dir.resolve(fileName()).toAbsolutePath();
    }

    /** Runs {@code action}: its value, or the BerthException it threw, naming the file unless an ordinary answer. */
    protected static Object attempt(Path file, Supplier<?> action) {
        try {
            return action.get();
        } catch (BerthException e) {
            assertTrue(ANSWERS.contains(e.code()) || e.getMessage().contains(file.toString()),
                    "the error does not name the file: " + e.getMessage());
            return e;
        }
    }

    /** Opens the damaged file in {@code dir}, reads everything, looks one up, adds a container and removes one. */
    private void exercise(Path dir) {
        Path f = db(dir);
        List<String> warnings = new ArrayList<>();
        String outcome = Fuzz.within(Duration.ofSeconds(20), () -> {
            Object store = attempt(f, () -> open(dir, warnings));
            if (!(store instanceof StateStore s)) {
                return "open refused";
            }
            Try t;
            try {
                Object before = attempt(f, s::allContainers);
                attempt(f, () -> s.lookupContainer(Workload.name("fz", 0, 4)));
                attempt(f, () -> s.hasContainer(Workload.id("fz", 0, 7)));
                Object added = attempt(f, () -> {
                    s.addContainer(Workload.container("fz", 1, 0, 0));
                    return "added";
                });
                Object removed = attempt(f, () -> {
                    s.removeContainer(Workload.id("fz", 0, 1));
                    return "removed";
                });
                t = new Try(dir, f, warnings, before, added, removed);
                checkWhileOpen(s, t);
            } finally {
                s.close();
            }
            checkAfterClose(t);
            return (t.before() instanceof BerthException ? "read refused" : "read") + ", "
                    + (t.added() instanceof BerthException ? "add refused" : "added");
        });
        outcomes.count(outcome);
    }

    private void tryBytes(byte[] bytes) throws IOException {
        Path dir = tmp.resolve("t" + System.nanoTime());
        Files.createDirectories(dir);
        Files.write(db(dir), bytes);
        exercise(dir);
        FileTrees.delete(dir);
    }

    /** A few bytes changed in a few pages: header or meta, interior, leaf, freelist and overflow pages alike. */
    @Test
    void flippedBytes() {
        Fuzz.forAll(flippedTries(), g -> FileCorruption.flippedBytes(g, template, PAGE), this::tryBytes);
    }

    /** The file cut anywhere, at a page boundary or not, or grown with zeroes. */
    @Test
    void truncatedOrGrown() {
        Fuzz.forAll(300, g -> FileCorruption.truncatedOrGrownLength(g, template.length, PAGE), len -> tryBytes(Arrays.copyOf(template, len)));
    }
}
