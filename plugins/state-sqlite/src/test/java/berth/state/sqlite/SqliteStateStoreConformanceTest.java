package berth.state.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.state.testkit.ChildJvm;
import berth.state.testkit.ConcurrencyProfile;
import berth.state.testkit.CrashProfile;
import berth.state.testkit.StateStoreConformanceSuite;
import berth.state.testkit.WorkerProcess;
import berth.state.testkit.Workload;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sqlite.SQLiteConfig;

/** The SQLite backend against the conformance suite, plus its own bad-input, locking and crash cases. */
class SqliteStateStoreConformanceTest extends StateStoreConformanceSuite {
    private final List<WorkerProcess> victims = new ArrayList<>();

    @Override
    protected String providerId() {
        return "sqlite";
    }

    @Override
    protected Path databaseFile(Path staticDir) {
        return staticDir.resolve("db.sql");
    }

    /** 8 processes x 100 containers: create, update the state 5 times, remove half. */
    @Override
    protected ConcurrencyProfile concurrencyProfile() {
        return new ConcurrencyProfile(8, 100, 5, true, 10, 120);
    }

    @Override
    protected CrashProfile crashProfile() {
        return new CrashProfile(3, 60, 5);
    }

    @AfterEach
    void killVictims() throws InterruptedException {
        for (WorkerProcess v : victims) {
            if (v.isAlive()) {
                v.kill();
            }
        }
    }

    private static Connection raw(Path db) throws Exception {
        SQLiteConfig c = new SQLiteConfig();
        c.setBusyTimeout(10_000);
        return c.createConnection("jdbc:sqlite:" + db);
    }

    private static String query(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private SqliteStateStore openWith(Path dir, Map<String, String> options) {
        return (SqliteStateStore) provider().open(new StateStoreConfig(dir, Workload.dbConfig(dir), options, warnings::add));
    }

    /** A closed store holding {@code n} workload containers; returns its database file. */
    private Path populated(Path dir, int n) {
        try (StateStore s = open(dir)) {
            for (int i = 0; i < n; i++) {
                s.addContainer(Workload.container("pop", 0, i, i % 6));
            }
        }
        return databaseFile(dir);
    }

    /** The file must be refused as STATE_CORRUPT (exit code 125), be named, and be left byte for byte as it was. */
    private BerthException assertRefusedUntouched(Path dir, String why) throws Exception {
        Path db = databaseFile(dir);
        byte[] before = Files.readAllBytes(db);
        BerthException e = expectError(ErrorCode.STATE_CORRUPT, () -> open(dir));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains(db.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(why), "says why (" + why + "): " + e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db), "the file was changed");
        assertFalse(Files.exists(SqliteFiles.journal(db, "-wal")), "a WAL was created next to the refused file");
        return e;
    }

    // ---------------------------------------------------------------- corrupt records

    @Test
    void corruptConfigJsonIsReportedAndTheOthersLoad() throws Exception {
        assertCorruptRecordIsReported((dir, id) -> {
            Path db = databaseFile(dir);
            try (Connection c = raw(db); Statement st = c.createStatement()) {
                assertEquals(1, st.executeUpdate("UPDATE ContainerConfig SET JSON = substr(JSON, 1, 40) WHERE ID = '" + id + "'"));
            }
            return db.toString();
        });
    }

    @Test
    void stateJsonOfTheWrongShapeIsReported() throws Exception {
        assertCorruptRecordIsReported((dir, id) -> {
            Path db = databaseFile(dir);
            try (Connection c = raw(db); Statement st = c.createStatement()) {
                assertEquals(1, st.executeUpdate("UPDATE ContainerState SET JSON = '{\"status\": \"levitating\"}' WHERE ID = '" + id + "'"));
            }
            return db.toString();
        });
    }

    // ---------------------------------------------------------------- settings

    @Test
    void storeUsesWalFullSyncForeignKeysAndTheCurrentSchema() throws Exception {
        Path dir = newStaticDir();
        SqliteStateStore s = openWith(dir, Map.of());
        try {
            assertEquals("wal", s.pragma("journal_mode"));
            assertEquals("2", s.pragma("synchronous"), "FULL");
            assertEquals("1", s.pragma("foreign_keys"));
            // the busy deadline is enforced by PollingBusyHandler (PRAGMA busy_timeout reads 0 once a handler is set);
            // writeLockHeldElsewhereEndsInATimeoutErrorWhileReadsGoOn checks it
            assertEquals(Integer.toString(SqliteSchema.CURRENT), s.pragma("user_version"));
            assertEquals(databaseFile(dir).toAbsolutePath(), s.path());
        } finally {
            s.close();
        }
        SqliteStateStore relaxed = openWith(dir, Map.of("sqlite.synchronous", "normal", "sqlite.busy_timeout_ms", "750"));
        try {
            assertEquals("1", relaxed.pragma("synchronous"), "NORMAL");
        } finally {
            relaxed.close();
        }
    }

    @Test
    void unknownOrInvalidOptionsAreRefused() throws Exception {
        Path dir = newStaticDir();
        BerthException e = expectError(ErrorCode.CONFIG_INVALID, () -> openWith(dir, Map.of("sqlite.synchronus", "FULL")));
        assertTrue(e.getMessage().contains("sqlite.synchronus"), e.getMessage());
        expectError(ErrorCode.CONFIG_INVALID, () -> openWith(dir, Map.of("sqlite.synchronous", "OFF")));
        expectError(ErrorCode.CONFIG_INVALID, () -> openWith(dir, Map.of("sqlite.busy_retries", "many")));
        openWith(dir, Map.of("file.something", "x")).close(); // other backends' options pass through
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void nonSqliteFileIsRefusedAndLeftAlone() throws Exception {
        Path dir = newStaticDir();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("this is a text file, not a database, line ").append(i).append('\n');
        }
        Files.writeString(databaseFile(dir), text);
        assertRefusedUntouched(dir, "is not an SQLite database");

        Files.write(databaseFile(dir), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        assertRefusedUntouched(dir, "is not an SQLite database");

        Files.delete(databaseFile(dir));
        Files.createDirectory(databaseFile(dir));
        expectError(ErrorCode.STATE_CORRUPT, () -> open(dir));
    }

    @Test
    void truncatedDatabaseIsRefusedAndLeftAlone() throws Exception {
        Path origin = newStaticDir();
        Path whole = populated(origin, 150);
        byte[] original = Files.readAllBytes(whole);
        int page = ((original[16] & 0xff) << 8) | (original[17] & 0xff);
        assertTrue(original.length >= 8 * page, "the database spans several pages: " + original.length);
        int[] cuts = {60, page + 100, (original.length / page / 2) * page, original.length - page};
        String[] why = {"shorter than the 100-byte SQLite header", "is not a whole number", "its header says", "its header says"};
        for (int k = 0; k < cuts.length; k++) {
            Path dir = newStaticDir();
            Files.write(databaseFile(dir), java.util.Arrays.copyOf(original, cuts[k]));
            assertRefusedUntouched(dir, why[k]);
        }
        // an untruncated copy still opens (with the paths it was created with)
        Path dir = newStaticDir();
        Files.copy(whole, databaseFile(dir), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(150, open(dir, Workload.dbConfig(origin)).allContainers().size());
    }

    @Test
    void foreignSqliteDatabaseIsRefusedAndLeftAlone() throws Exception {
        Path dir = newStaticDir();
        try (Connection c = raw(databaseFile(dir)); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE Customers(ID INTEGER PRIMARY KEY, Name TEXT)");
            st.execute("INSERT INTO Customers(Name) VALUES ('ada')");
        }
        assertRefusedUntouched(dir, "not a berth state database (it holds Customers)");
    }

    @Test
    void emptyFileIsANewDatabase() throws Exception {
        Path dir = newStaticDir();
        Files.createFile(databaseFile(dir));
        StateStore s = open(dir);
        Container c = Workload.container("empty", 0, 0, 1);
        s.addContainer(c);
        assertEquals(c, s.lookupContainer(c.name()));
    }

    @Test
    void newerSchemaVersionIsRefusedAndLeftAlone() throws Exception {
        Path dir = newStaticDir();
        Path db = populated(dir, 3);
        try (Connection c = raw(db); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        byte[] before = Files.readAllBytes(db);
        BerthException e = expectError(ErrorCode.STATE_CONFIG_MISMATCH, () -> open(dir));
        assertTrue(e.getMessage().contains(db.toString()) && e.getMessage().contains("schema version 99")
                && e.getMessage().contains("(" + SqliteSchema.CURRENT + ")"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db));
        try (Connection c = raw(db)) {
            assertEquals("99", query(c, "PRAGMA user_version"));
        }
    }

    @Test
    void olderSchemaIsMigratedForward() throws Exception {
        Path dir = newStaticDir();
        List<Container> cs = new ArrayList<>();
        try (SqliteStateStore v1 = SqliteStateStore.open(new StateStoreConfig(dir, Workload.dbConfig(dir), Map.of(), warnings::add), 1)) {
            assertEquals("1", v1.pragma("user_version"));
            Container base = Workload.container("mig", 0, 0, 2);
            v1.addContainer(base);
            cs.add(base);
            for (int i = 1; i < 4; i++) {
                Container c = Workload.container("mig", 0, i, i);
                c = new Container(c.config().toBuilder().dependencies(List.of(base.id())).build(), c.state());
                v1.addContainer(c);
                cs.add(c);
            }
        }
        try (Connection c = raw(databaseFile(dir))) {
            assertEquals("0", query(c, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ContainerDependencyByDependency'"));
        }
        SqliteStateStore now = openWith(dir, Map.of());
        try {
            assertEquals(Integer.toString(SqliteSchema.CURRENT), now.pragma("user_version"));
            for (Container c : cs) {
                assertEquals(c, now.lookupContainer(c.name()));
            }
            assertEquals(3, now.dependents(cs.get(0).id()).size());
        } finally {
            now.close();
        }
        try (Connection c = raw(databaseFile(dir))) {
            assertEquals("2", query(c, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                    + " ('ContainerDependencyByDependency', 'ContainerExecSessionByContainer')"));
        }
    }

    @Test
    void dbConfigMismatchLeavesTheFileAlone() throws Exception {
        Path dir = newStaticDir();
        Path db = populated(dir, 4);
        byte[] before = Files.readAllBytes(db);
        DbConfig mine = Workload.dbConfig(dir);
        DbConfig other = new DbConfig(mine.staticDir(), "/other/tmp", mine.graphRoot(), mine.runRoot(), mine.volumePath());
        BerthException e = expectError(ErrorCode.STATE_CONFIG_MISMATCH, () -> open(dir, other));
        assertTrue(e.getMessage().contains(db.toString()) && e.getMessage().contains("/other/tmp"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db));
    }

    // ---------------------------------------------------------------- locking

    @Test
    void writeLockHeldElsewhereEndsInATimeoutErrorWhileReadsGoOn() throws Exception {
        Path dir = newStaticDir();
        Container present = Workload.container("lock", 0, 0, 1);
        try (StateStore s = open(dir)) {
            s.addContainer(present);
        }
        SqliteStateStore s = openWith(dir, Map.of("sqlite.busy_timeout_ms", "150", "sqlite.busy_retries", "2"));
        try (Connection other = raw(databaseFile(dir)); Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.executeUpdate("UPDATE ContainerState SET JSON = '{\"uncommitted\": true}'");
            long t0 = System.nanoTime();
            BerthException e = expectError(ErrorCode.TIMEOUT, () -> s.addContainer(Workload.container("lock", 0, 1, 0)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(e.getMessage().contains(databaseFile(dir).toString()) && e.getMessage().contains("3 attempts"), e.getMessage());
            assertFalse(e.getMessage().contains("SQLITE_BUSY"), "no raw SQLite error: " + e.getMessage());
            assertTrue(ms >= 3 * 150 && ms < 5_000, "waited " + ms + " ms");
            // WAL: readers are not blocked by the writer and do not see its uncommitted change
            assertEquals(present, s.lookupContainer(present.name()));
            assertEquals(List.of(present), s.allContainers());
            st.execute("ROLLBACK");
        }
        Container later = Workload.container("lock", 0, 2, 0);
        s.addContainer(later);
        assertEquals(later, s.container(later.id()));
        s.close();
    }

    // ---------------------------------------------------------------- libpod's rules beyond the suite

    @Test
    void dependenciesMustExistAndCannotBeRemovedFromUnderDependents() throws Exception {
        StateStore s = open(newStaticDir());
        Container base = Workload.container("deps", 0, 0, 0);
        Container dependent = Workload.container("deps", 0, 1, 0);
        dependent = new Container(dependent.config().toBuilder().dependencies(List.of(base.id())).build(), dependent.state());
        Container finalDependent = dependent;
        BerthException e = expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.addContainer(finalDependent));
        assertTrue(e.getMessage().contains(base.id()), e.getMessage());
        assertFalse(s.hasContainer(dependent.id()), "a refused add leaves nothing behind");
        s.addContainer(base);
        s.addContainer(dependent);
        e = expectError(ErrorCode.DEPENDENCY_EXISTS, () -> s.removeContainer(base.id()));
        assertTrue(e.getMessage().contains(dependent.id()), e.getMessage());
        assertEquals(base, s.container(base.id()));
        s.removeContainer(dependent.id());
        s.removeContainer(base.id());
        assertEquals(List.of(), s.allContainers());
    }

    @Test
    void saveWithANewNameMovesTheName() throws Exception {
        StateStore s = open(newStaticDir());
        Container a = Workload.container("ren", 0, 0, 0);
        Container b = Workload.container("ren", 0, 1, 0);
        s.addContainer(a);
        s.addContainer(b);
        Container renamed = new Container(a.config().toBuilder().name("renamed").build(), a.state());
        s.saveContainer(renamed);
        assertEquals(renamed, s.lookupContainer("renamed"));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer(a.name()));
        Container clash = new Container(b.config().toBuilder().name("renamed").build(), b.state());
        expectError(ErrorCode.NAME_IN_USE, () -> s.saveContainer(clash));
        assertEquals(b, s.lookupContainer(b.name()));
        s.addContainer(named(hexId("0a", 1), a.name()));
    }

    // ---------------------------------------------------------------- start-up cost

    @Test
    void findingTheProviderLoadsNoSqliteOrJdbcClass() throws Exception {
        List<String> loaded = classesLoadedByProviderProbe();
        assertTrue(loaded.contains(SqliteStateStoreProvider.class.getName()), "the probe found the provider");
        List<String> heavy = new ArrayList<>();
        for (String c : loaded) {
            if (c.startsWith("org.sqlite.") || c.startsWith("java.sql.") || c.equals(SqliteStateStore.class.getName())) {
                heavy.add(c);
            }
        }
        assertEquals(List.of(), heavy, "classes loaded before open()");
    }

    @Test
    void nativeLibraryIsCachedOnceInAPrivateDirectory() throws Exception {
        Path root = newStaticDir().resolve("cache");
        Path lib = NativeLibraryCache.ensure(root);
        assertTrue(lib != null && Files.isRegularFile(lib), "cached at " + lib);
        assertTrue(lib.startsWith(root));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(lib.getParent())));
        byte[] bytes = Files.readAllBytes(lib);
        assertTrue(bytes.length > 100_000 && bytes[0] == 0x7f && bytes[1] == 'E', "an ELF library of " + bytes.length + " bytes");
        var modified = Files.getLastModifiedTime(lib);
        assertEquals(lib, NativeLibraryCache.ensure(root), "the second start reuses it");
        assertEquals(modified, Files.getLastModifiedTime(lib));
        // a directory others can write to is not trusted
        Files.setPosixFilePermissions(lib.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(null, NativeLibraryCache.ensure(root));
    }

    // ---------------------------------------------------------------- SIGKILL inside transactions

    private ChildJvm victimJvm() throws URISyntaxException {
        return ChildJvm.of("berth.state.sqlite", SqliteCrashVictim.class.getName())
                .patchModule("berth.state.sqlite", testClasses())
                .jvmArgs("--add-reads", "berth.state.sqlite=ALL-UNNAMED");
    }

    private static Path testClasses() throws URISyntaxException {
        String rel = SqliteCrashVictim.class.getName().replace('.', '/') + ".class";
        var src = SqliteCrashVictim.class.getProtectionDomain().getCodeSource();
        if (src != null) {
            Path p = Path.of(src.getLocation().toURI());
            if (Files.isDirectory(p) && Files.exists(p.resolve(rel))) {
                return p;
            }
        }
        Path p = Path.of(System.getProperty("basedir", "."), "target", "test-classes");
        assertTrue(Files.exists(p.resolve(rel)), "test classes not found at " + p);
        return p;
    }

    private WorkerProcess victim(String... args) throws Exception {
        WorkerProcess v = victimJvm().start(args);
        victims.add(v);
        return v;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void writerKilledInsideAWriteTransactionLeavesNoTraceAndNoLock() throws Exception {
        Path dir = newStaticDir();
        Path db = databaseFile(dir);
        StateStore s = open(dir);
        List<Container> cs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Container c = Workload.container("held", 0, i, 3);
            s.addContainer(c);
            cs.add(c);
        }
        WorkerProcess v = victim("hold", dir.toString(), cs.get(0).id());
        assertTrue(v.awaitCount("IN_TXN"::equals, 1, 60_000), () -> v.tail() + "\n" + v.stderr());
        long wal = Files.size(SqliteFiles.journal(db, "-wal"));
        assertTrue(wal > 1_000_000, "the uncommitted transaction spilled into the WAL: " + wal + " bytes");
        assertEquals(cs.get(0), s.container(cs.get(0).id()), "readers go on while the writer holds the lock");
        v.kill();

        long t0 = System.nanoTime();
        Container after = Workload.container("held", 0, 99, 0);
        s.addContainer(after);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 2_000, "the dead writer's lock went with it; the next write took " + ms + " ms");
        cs.add(after);

        Container ghost = Workload.container("ghost", 0, 0, 0);
        for (StateStore store : List.of(s, open(dir))) {
            assertFalse(store.hasContainer(ghost.id()));
            expectError(ErrorCode.NO_SUCH_CONTAINER, () -> store.lookupContainer(ghost.name()));
            List<Container> all = new ArrayList<>(store.allContainers());
            all.sort(java.util.Comparator.comparing(Container::id));
            List<Container> want = new ArrayList<>(cs);
            want.sort(java.util.Comparator.comparing(Container::id));
            assertEquals(want, all);
        }
        s.addContainer(ghost); // its name and ID were never taken
        try (Connection c = raw(db)) {
            assertEquals("ok", query(c, "PRAGMA integrity_check"));
            assertEquals(null, query(c, "PRAGMA foreign_key_check"));
            assertEquals("0", query(c, "SELECT count(*) FROM sqlite_master WHERE name = 'Filler'"));
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void writerKilledDuringLargeCommitsLeavesOnlyWholeBatches() throws Exception {
        Path dir = newStaticDir();
        int size = 40; // about 100 KB of records per transaction
        Random rnd = new Random();
        int[] firsts = {0, 1000}; // the same store killed twice: recovery on top of recovery
        int[] maxAcked = new int[firsts.length];
        for (int round = 0; round < firsts.length; round++) {
            WorkerProcess v = victim("batches", dir.toString(), Integer.toString(size), Integer.toString(firsts[round]));
            assertTrue(v.awaitCount("READY"::equals, 1, 60_000), () -> v.tail() + "\n" + v.stderr());
            int want = 4 + rnd.nextInt(6);
            assertTrue(v.awaitCount(l -> l.startsWith("BATCH "), want, 60_000), () -> v.tail() + "\n" + v.stderr());
            Thread.sleep(rnd.nextInt(8));
            assertTrue(v.isAlive(), v::tail);
            v.kill();
            maxAcked[round] = -1;
            for (String l : v.lines()) {
                assertFalse(l.startsWith("WARNING"), l);
                if (l.startsWith("BATCH ")) {
                    maxAcked[round] = Integer.parseInt(l.substring(6));
                }
            }
            assertTrue(maxAcked[round] >= firsts[round] + want - 1, "acknowledged batches of round " + round);
        }
        StateStore s = open(dir);
        Map<Integer, List<Container>> byBatch = new HashMap<>();
        for (Container c : s.allContainers()) {
            int[] at = Workload.coordinatesOf(c);
            assertEquals(Workload.container("batch", at[0], at[1], 1), c, "a whole record");
            byBatch.computeIfAbsent(at[0], k -> new ArrayList<>()).add(c);
        }
        for (int round = 0; round < firsts.length; round++) {
            for (int b = firsts[round]; b <= maxAcked[round]; b++) {
                assertEquals(size, byBatch.getOrDefault(b, List.of()).size(), "acknowledged batch " + b + " is whole");
            }
            int inFlight = byBatch.getOrDefault(maxAcked[round] + 1, List.of()).size();
            assertTrue(inFlight == 0 || inFlight == size, "the batch in flight is all or nothing: " + inFlight);
        }
        for (int b : byBatch.keySet()) {
            boolean inRange = false;
            for (int round = 0; round < firsts.length; round++) {
                inRange |= b >= firsts[round] && b <= maxAcked[round] + 1;
            }
            assertTrue(inRange, "batch " + b + " was never written");
        }
        try (Connection c = raw(databaseFile(dir))) {
            assertEquals("ok", query(c, "PRAGMA integrity_check"));
        }
        assertEquals(List.of(), warnings);
    }
}
