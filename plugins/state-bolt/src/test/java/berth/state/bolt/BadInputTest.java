package berth.state.bolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.state.bolt.testutil.Surgery;
import berth.testsupport.GoBolt;
import berth.state.testkit.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged or foreign files: each is refused with a BerthException that names the file (or, for one
 * damaged meta page, read from the other one), and none is changed by berth's attempts.
 */
class BadInputTest {
    @TempDir
    Path tmp;
    final List<String> warnings = new ArrayList<>();

    private StateStore open(Path dir) {
        return new BoltStateStoreProvider().open(new StateStoreConfig(dir, Workload.dbConfig(dir), Map.of(), warnings::add));
    }

    private Path storeWith(int containers) {
        Path dir = tmp.resolve("s" + System.nanoTime());
        try (StateStore s = open(dir)) {
            for (int i = 0; i < containers; i++) {
                s.addContainer(Workload.container("bad", 0, i, 1));
            }
        }
        return dir;
    }

    private static Path db(Path dir) {
        return dir.resolve("bolt_state.db").toAbsolutePath();
    }

    /** Runs every action, each of which must fail naming the file; the file's bytes must not change. */
    private void refusedAndUnchanged(Path dir, String mustSay, List<Executable> actions) throws Exception {
        Path f = db(dir);
        String before = GoBolt.sha256(f);
        for (Executable a : actions) {
            BerthException e = assertThrows(BerthException.class, a);
            assertTrue(e.getMessage().contains(f.toString()), "the error names the file: " + e.getMessage());
            assertTrue(e.getMessage().contains(mustSay), "the error says \"" + mustSay + "\": " + e.getMessage());
            assertEquals(ErrorCode.STATE_CORRUPT, e.code(), e.getMessage());
            assertEquals(125, e.exitCode());
        }
        assertEquals(before, GoBolt.sha256(f), "the file is unchanged");
    }

    private List<Executable> everything(Path dir) {
        Container c = Workload.container("bad", 9, 9, 0);
        return List.of(
                () -> open(dir),
                () -> open(dir).allContainers(),
                () -> open(dir).addContainer(c));
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        Path dir = storeWith(40);
        Path f = db(dir);
        byte[] full = Files.readAllBytes(f);
        assertTrue(Surgery.highWater(full) > 8);
        Files.write(f, java.util.Arrays.copyOf(full, 3 * 4096));
        refusedAndUnchanged(dir, "is truncated", everything(dir));
        Files.write(f, java.util.Arrays.copyOf(full, 2000));
        refusedAndUnchanged(dir, "too small", everything(dir));
    }

    @Test
    void aNonBoltFileIsRefused() throws Exception {
        Path dir = tmp.resolve("foreign");
        Files.createDirectories(dir);
        byte[] junk = new byte[64 * 1024];
        new Random(7).nextBytes(junk);
        Files.write(db(dir), junk);
        refusedAndUnchanged(dir, "not a bolt database", everything(dir));
        Files.writeString(db(dir), "{\"containers\": []}\n".repeat(500), StandardCharsets.UTF_8);
        refusedAndUnchanged(dir, "not a bolt database", everything(dir));
        Files.writeString(db(dir), "SQLite format 3\0", StandardCharsets.UTF_8);
        refusedAndUnchanged(dir, "not a bolt database", everything(dir));
    }

    @Test
    void aPagePointerPastTheEndOfTheFileIsRefused() throws Exception {
        Path dir = storeWith(5);
        Path f = db(dir);
        byte[] bytes = Files.readAllBytes(f);
        int field = Surgery.bucketRootField(f, "ctr");
        long past = Files.size(f) / 4096 + 10;
        Surgery.putLong(bytes, field, past);
        Files.write(f, bytes);
        Container c = Workload.container("bad", 9, 9, 0);
        StateStore s = open(dir); // the layout itself is intact
        refusedAndUnchanged(dir, "refers to page " + past, List.of(
                s::allContainers,
                () -> s.lookupContainer("bad-w0-c1"),
                () -> s.addContainer(c),
                () -> s.removeContainer(Workload.id("bad", 0, 1))));
    }

    @Test
    void aBranchPointerPastTheEndIsRefused() throws Exception {
        Path dir = storeWith(60);
        Path f = db(dir);
        byte[] bytes = Files.readAllBytes(f);
        int field = Surgery.lastBranchPointer(f, "ctr");
        Surgery.putLong(bytes, field, 1L << 40);
        Files.write(f, bytes);
        StateStore s = open(dir);
        refusedAndUnchanged(dir, "refers to page " + (1L << 40), List.of(s::allContainers,
                () -> s.addContainer(Workload.container("bad", 9, 9, 0))));
    }

    @Test
    void aFlippedByteInAMetaPageFallsBackToTheOtherMeta() throws Exception {
        Path dir = storeWith(3);
        Container last = Workload.container("bad", 0, 3, 0);
        try (StateStore s = open(dir)) {
            s.addContainer(last); // the newest transaction
        }
        Path f = db(dir);
        byte[] good = Files.readAllBytes(f);
        int newest = Surgery.newestMeta(good);
        for (int page = 0; page < 2; page++) {
            byte[] bad = good.clone();
            bad[page * 4096 + 16 + 40] ^= 0x10; // the high-water mark
            Files.write(f, bad);
            String before = GoBolt.sha256(f);
            StateStore s = open(dir);
            List<String> names = s.allContainers().stream().map(Container::name).sorted().collect(Collectors.toList());
            if (page == newest) {
                assertEquals(List.of("bad-w0-c0", "bad-w0-c1", "bad-w0-c2"), names, "the transaction before the damaged meta");
            } else {
                assertEquals(List.of("bad-w0-c0", "bad-w0-c1", "bad-w0-c2", "bad-w0-c3"), names);
            }
            assertEquals(Workload.dbConfig(dir), s.dbConfig());
            s.close();
            assertEquals(before, GoBolt.sha256(f), "reading changed nothing");
            assertEquals(0, GoBolt.boltcheck("check", f.toString()).exitCode(), "bbolt reads it the same way");
        }
        // both damaged
        byte[] bad = good.clone();
        bad[16 + 56] ^= 1;
        bad[4096 + 16 + 56] ^= 1;
        Files.write(f, bad);
        refusedAndUnchanged(dir, "no valid meta page", everything(dir));
    }

    @Test
    void aMismatchedDbConfigNamesTheFileAndChangesNothing() throws Exception {
        Path dir = storeWith(2);
        Path f = db(dir);
        String before = GoBolt.sha256(f);
        DbConfig c = Workload.dbConfig(dir);
        DbConfig other = new DbConfig(c.staticDir(), "/other/tmp", c.graphRoot(), c.runRoot(), c.volumePath());
        BerthException e = assertThrows(BerthException.class,
                () -> new BoltStateStoreProvider().open(new StateStoreConfig(dir, other, Map.of(), warnings::add)));
        assertEquals(ErrorCode.STATE_CONFIG_MISMATCH, e.code());
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("/other/tmp"), e.getMessage());
        assertEquals(before, GoBolt.sha256(f));
        // a trailing slash is the same path (libpod stores cleaned paths)
        DbConfig slashed = new DbConfig(c.staticDir() + "/", c.tmpDir(), c.graphRoot() + "/", c.runRoot(), c.volumePath());
        try (StateStore s = new BoltStateStoreProvider().open(new StateStoreConfig(dir, slashed, Map.of(), warnings::add))) {
            assertEquals(2, s.allContainers().size());
        }
        assertEquals(before, GoBolt.sha256(f));
    }
}
