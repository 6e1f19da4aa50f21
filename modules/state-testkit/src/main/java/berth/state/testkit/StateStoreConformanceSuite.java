package berth.state.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance suite of the {@link StateStore} SPI. A backend's test class extends it and names
 * its provider id; the suite finds the provider through {@link PluginRegistry}, exactly as berth does,
 * so a provider that is not declared in its module descriptor fails here first.
 *
 * <pre>
 * class SqliteStateStoreConformanceTest extends StateStoreConformanceSuite {
 *     protected String providerId() { return "sqlite"; }
 *     protected Path databaseFile(Path staticDir) { return staticDir.resolve("db.sql"); }
 *     protected ConcurrencyProfile concurrencyProfile() { return new ConcurrencyProfile(8, 100, 5, true, 10, 90); }
 * }
 * </pre>
 *
 * It covers the record contract (add, save, remove; lookup by full ID, unique prefix and name, in
 * podman's order; the sentinel errors), persistence across close and reopen, the DbConfig check, and,
 * with child JVMs running {@link StoreWorker}, several processes writing at once and a writer killed
 * with SIGKILL in the middle of its writes. Backends call {@link #assertCorruptRecordIsReported} from
 * a test of their own with a {@link RecordCorrupter} that knows their layout.
 */
public abstract class StateStoreConformanceSuite {
    private final List<Path> dirs = new ArrayList<>();
    private final List<StateStore> stores = new ArrayList<>();
    private final List<WorkerProcess> children = new ArrayList<>();
    /** Warnings reported by the stores this suite opened (through {@link StateStoreConfig#warnings}). */
    protected final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    /** The id the backend's provider is registered under, e.g. {@code file}. */
    protected abstract String providerId();

    /** The file that holds the store's database configuration; errors about it must name this file. */
    protected abstract Path databaseFile(Path staticDir);

    /** The several-writer-processes test's shape; a backend picks what it must sustain. */
    protected ConcurrencyProfile concurrencyProfile() {
        return new ConcurrencyProfile(4, 100, 1, false, 10, 90);
    }

    /** The SIGKILL test's shape. */
    protected CrashProfile crashProfile() {
        return new CrashProfile(3, 40, 2);
    }

    /** Backend options passed to every store the suite and its workers open. */
    protected Map<String, String> storeOptions() {
        return Map.of();
    }

    /** How worker JVMs are started; a backend may add JVM options. */
    protected ChildJvm workerJvm() {
        return ChildJvm.of(StoreWorker.class);
    }

    // ---------------------------------------------------------------- fixtures

    @AfterEach
    public final void cleanUpSuiteResources() throws Exception {
        for (WorkerProcess w : children) {
            if (w.isAlive()) {
                w.kill();
            }
        }
        for (StateStore s : stores) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // closing twice is the test's business; the directory goes anyway
            }
        }
        for (Path d : dirs) {
            deleteTree(d);
        }
    }

    /** The provider, found as production finds it. */
    protected final StateStoreProvider provider() {
        return PluginRegistry.boot(warnings::add).select(StateStoreProvider.class, providerId());
    }

    /** A fresh, empty static directory, deleted after the test. */
    protected final Path newStaticDir() throws IOException {
        Path d = Files.createTempDirectory("berth-state-" + providerId() + "-");
        dirs.add(d);
        return d;
    }

    protected final StateStore open(Path staticDir) {
        return open(staticDir, Workload.dbConfig(staticDir), warnings::add);
    }

    protected final StateStore open(Path staticDir, DbConfig engineConfig) {
        return open(staticDir, engineConfig, warnings::add);
    }

    /** Opens a store; the suite closes it after the test if the test did not. */
    protected final StateStore open(Path staticDir, DbConfig engineConfig, Consumer<String> warningSink) {
        StateStore s = provider().open(new StateStoreConfig(staticDir, engineConfig, storeOptions(), warningSink));
        assertNotNull(s, "provider " + providerId() + " returned no store");
        stores.add(s);
        return s;
    }

    /** Runs {@code e}, which must fail with a BerthException of the given code; returns it. */
    protected static BerthException expectError(ErrorCode code, Executable e) {
        BerthException ex = assertThrows(BerthException.class, e, "expected " + code);
        assertEquals(code, ex.code(), () -> "expected " + code + " but got " + ex.code() + ": " + ex.getMessage());
        return ex;
    }

    /** A container with the given id and name (a workload record otherwise). */
    protected static Container named(String id, String name) {
        Container c = Workload.container("fixture", 0, Math.floorMod(id.hashCode(), 1000), 0);
        return new Container(c.config().toBuilder().id(id).name(name).build(), c.state());
    }

    /** A 64-hex-digit ID starting with {@code prefix}. */
    protected static String hexId(String prefix, int n) {
        return (prefix + Workload.sha256Hex(prefix + "/" + n)).substring(0, 64);
    }

    // ---------------------------------------------------------------- the record contract

    @Test
    public void providerIsFoundThroughThePluginRegistry() throws Exception {
        StateStoreProvider p = provider();
        assertEquals(providerId(), p.id());
        StateStore s = open(newStaticDir());
        assertEquals(providerId(), s.backend());
        assertEquals(List.of(), s.allContainers(), "a new store is empty");
    }

    @Test
    public void addedContainerReadsBackEqual() throws Exception {
        StateStore s = open(newStaticDir());
        Container fresh = Workload.container("rt", 0, 0, 0);
        Container rich = Workload.container("rt", 0, 1, 4); // exec session, network status, hooks
        s.addContainer(fresh);
        s.addContainer(rich);
        assertEquals(fresh, s.container(fresh.id()));
        assertEquals(rich, s.container(rich.id()));
        assertTrue(s.hasContainer(fresh.id()));
        assertEquals(Set.of(fresh, rich), new HashSet<>(s.allContainers()));
    }

    @Test
    public void lookupFindsByNameFullIdAndUniquePrefix() throws Exception {
        StateStore s = open(newStaticDir());
        List<Container> cs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Container c = Workload.container("lk", 0, i, 1);
            s.addContainer(c);
            cs.add(c);
        }
        for (Container c : cs) {
            assertEquals(c, s.lookupContainer(c.name()), "by name");
            assertEquals(c, s.lookupContainer(c.id()), "by full ID");
            assertEquals(c, s.lookupContainer(c.id().substring(0, 12)), "by short ID");
            String unique = shortestUniquePrefix(c.id(), cs);
            assertEquals(c, s.lookupContainer(unique), "by the shortest unique prefix " + unique);
            assertEquals(c, s.findContainer(c.name()).orElseThrow());
        }
    }

    private static String shortestUniquePrefix(String id, List<Container> all) {
        for (int n = 1; n <= id.length(); n++) {
            String p = id.substring(0, n);
            if (all.stream().filter(c -> c.id().startsWith(p)).count() == 1) {
                return p;
            }
        }
        return id;
    }

    @Test
    public void nameIsResolvedBeforeIdAndPrefix() throws Exception {
        StateStore s = open(newStaticDir());
        Container byPrefix = named(hexId("abc1", 1), "first");
        Container byName = named(hexId("fff", 2), "abc");
        s.addContainer(byPrefix);
        s.addContainer(byName);
        assertEquals(byName, s.lookupContainer("abc"), "a name wins over an ID prefix, as in podman");
        assertEquals(byPrefix, s.lookupContainer("abc1"));
        assertEquals(byPrefix, s.lookupContainer("first"));
    }

    @Test
    public void ambiguousPrefixIsRefused() throws Exception {
        StateStore s = open(newStaticDir());
        Container a = named(hexId("beef1", 1), "one");
        Container b = named(hexId("beef2", 2), "two");
        s.addContainer(a);
        s.addContainer(b);
        BerthException e = expectError(ErrorCode.AMBIGUOUS_ID, () -> s.lookupContainer("beef"));
        assertTrue(e.getMessage().contains("beef"), e.getMessage());
        expectError(ErrorCode.AMBIGUOUS_ID, () -> s.findContainer("bee"));
        assertEquals(a, s.lookupContainer("beef1"));
        assertEquals(b, s.lookupContainer("beef2"));
    }

    @Test
    public void unknownContainersAreNoSuchContainer() throws Exception {
        StateStore s = open(newStaticDir());
        s.addContainer(named(hexId("aaa", 1), "present"));
        String missing = hexId("bbb", 2);
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer("absent"));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer(missing));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer("bbb"));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer(""));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.container(missing));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.removeContainer(missing));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.saveContainer(named(missing, "ghost")));
        assertFalse(s.hasContainer(missing));
        assertFalse(s.findContainer("absent").isPresent());
        assertFalse(s.hasContainer(missing), "a refused save must not create the container");
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer("ghost"));
        assertEquals(1, s.allContainers().size());
    }

    @Test
    public void takenNameIsRefusedAndChangesNothing() throws Exception {
        StateStore s = open(newStaticDir());
        Container a = named(hexId("a", 1), "web");
        Container b = named(hexId("b", 2), "web");
        s.addContainer(a);
        BerthException e = expectError(ErrorCode.NAME_IN_USE, () -> s.addContainer(b));
        assertTrue(e.getMessage().contains("web"), "the error names the name: " + e.getMessage());
        assertFalse(s.hasContainer(b.id()));
        assertEquals(a, s.lookupContainer("web"));
        assertEquals(List.of(a), s.allContainers());
    }

    @Test
    public void takenIdIsRefusedAndChangesNothing() throws Exception {
        StateStore s = open(newStaticDir());
        Container a = named(hexId("c", 1), "first");
        Container again = named(a.id(), "second");
        s.addContainer(a);
        expectError(ErrorCode.CONTAINER_EXISTS, () -> s.addContainer(again));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer("second"));
        assertEquals(a, s.container(a.id()));
        assertEquals(List.of(a), s.allContainers());
        // the refused add left the name free
        Container other = named(hexId("d", 2), "second");
        s.addContainer(other);
        assertEquals(other, s.lookupContainer("second"));
    }

    @Test
    public void saveReplacesTheRecord() throws Exception {
        StateStore s = open(newStaticDir());
        Container v0 = Workload.container("sv", 1, 1, 0);
        s.addContainer(v0);
        for (int v = 1; v <= 6; v++) {
            Container next = Workload.container("sv", 1, 1, v);
            s.saveContainer(next);
            assertEquals(next, s.container(v0.id()), "after save " + v);
            assertEquals(next, s.lookupContainer(v0.name()));
        }
        Container relabelled = new Container(v0.config().toBuilder().labels(Map.of("changed", "yes")).build(),
                Workload.state("sv", 1, 1, 6));
        s.saveContainer(relabelled);
        assertEquals(relabelled, s.container(v0.id()), "save replaces the config too");
        assertEquals(List.of(relabelled), s.allContainers());
    }

    @Test
    public void removeDeletesTheRecordAndFreesNameAndId() throws Exception {
        StateStore s = open(newStaticDir());
        Container a = Workload.container("rm", 0, 0, 3);
        Container keep = Workload.container("rm", 0, 1, 0);
        s.addContainer(a);
        s.addContainer(keep);
        s.removeContainer(a.id());
        assertFalse(s.hasContainer(a.id()));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.container(a.id()));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.lookupContainer(a.name()));
        expectError(ErrorCode.NO_SUCH_CONTAINER, () -> s.removeContainer(a.id()));
        assertEquals(List.of(keep), s.allContainers());
        // the name is free for another container, and the ID for a new record
        Container sameName = named(hexId("9", 9), a.name());
        s.addContainer(sameName);
        assertEquals(sameName, s.lookupContainer(a.name()));
        s.removeContainer(sameName.id());
        s.addContainer(a);
        assertEquals(a, s.lookupContainer(a.name()));
        assertEquals(a, s.container(a.id()));
    }

    @Test
    public void allContainersListsExactlyTheLiveRecords() throws Exception {
        StateStore s = open(newStaticDir());
        Map<String, Container> expected = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            Container c = Workload.container("ls", 2, i, i % 4);
            s.addContainer(c);
            expected.put(c.id(), c);
        }
        for (int i = 0; i < 40; i += 3) {
            s.removeContainer(Workload.id("ls", 2, i));
            expected.remove(Workload.id("ls", 2, i));
        }
        List<Container> all = s.allContainers();
        assertEquals(expected.size(), all.size());
        assertEquals(expected, all.stream().collect(Collectors.toMap(Container::id, c -> c)));
        assertEquals(List.of(), warnings);
    }

    @Test
    public void dependentsAreFound() throws Exception {
        StateStore s = open(newStaticDir());
        Container base = Workload.container("dep", 0, 0, 0);
        s.addContainer(base);
        List<String> deps = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Container c = Workload.container("dep", 0, i, 0);
            c = new Container(c.config().toBuilder().dependencies(List.of(base.id())).build(), c.state());
            s.addContainer(c);
            deps.add(c.id());
        }
        List<String> found = new ArrayList<>(s.dependents(base.id()));
        Collections.sort(found);
        Collections.sort(deps);
        assertEquals(deps, found);
        assertEquals(List.of(), s.dependents(deps.get(0)));
        assertEquals(List.of(base.id()), s.container(deps.get(0)).config().dependencies());
    }

    @Test
    public void twoHandlesOnOneStoreSeeEachOthersWrites() throws Exception {
        Path dir = newStaticDir();
        StateStore one = open(dir);
        StateStore two = open(dir);
        Container c = Workload.container("two", 0, 0, 0);
        one.addContainer(c);
        assertEquals(c, two.lookupContainer(c.name()));
        Container v2 = Workload.container("two", 0, 0, 2);
        two.saveContainer(v2);
        assertEquals(v2, one.container(c.id()));
        expectError(ErrorCode.NAME_IN_USE, () -> two.addContainer(named(hexId("e", 1), c.name())));
        one.removeContainer(c.id());
        assertFalse(two.hasContainer(c.id()));
        assertEquals(List.of(), two.allContainers());
    }

    @Test
    public void reopenedStoreKeepsEveryRecord() throws Exception {
        Path dir = newStaticDir();
        StateStore s = open(dir);
        Map<String, Container> expected = new TreeMap<>();
        for (int i = 0; i < 25; i++) {
            Container c = Workload.container("re", 0, i, 0);
            s.addContainer(c);
            expected.put(c.id(), c);
        }
        for (int i = 0; i < 25; i += 2) {
            Container c = Workload.container("re", 0, i, 3);
            s.saveContainer(c);
            expected.put(c.id(), c);
        }
        for (int i = 1; i < 25; i += 5) {
            s.removeContainer(Workload.id("re", 0, i));
            expected.remove(Workload.id("re", 0, i));
        }
        s.close();
        StateStore again = open(dir);
        assertEquals(Workload.dbConfig(dir), again.dbConfig());
        Map<String, Container> found = new TreeMap<>();
        again.allContainers().forEach(c -> found.put(c.id(), c));
        assertEquals(expected, found);
        for (Container c : expected.values()) {
            assertEquals(c, again.lookupContainer(c.name()));
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    public void dbConfigIsRecordedAndAMismatchIsRefused() throws Exception {
        Path dir = newStaticDir();
        DbConfig created = Workload.dbConfig(dir);
        StateStore s = open(dir, created);
        assertEquals(created, s.dbConfig());
        Container c = Workload.container("db", 0, 0, 1);
        s.addContainer(c);
        s.close();

        DbConfig otherRoot = new DbConfig(created.staticDir(), created.tmpDir(), "/elsewhere/storage", created.runRoot(), created.volumePath());
        BerthException e = expectError(ErrorCode.STATE_CONFIG_MISMATCH, () -> open(dir, otherRoot));
        String file = databaseFile(dir).toString();
        assertTrue(e.getMessage().contains(file), "the error names the database file " + file + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(created.graphRoot()) && e.getMessage().contains("/elsewhere/storage"),
                "the error names both paths: " + e.getMessage());

        DbConfig otherVolumes = new DbConfig(created.staticDir(), created.tmpDir(), created.graphRoot(), created.runRoot(), "/elsewhere/volumes");
        expectError(ErrorCode.STATE_CONFIG_MISMATCH, () -> open(dir, otherVolumes));

        // the refusals changed nothing
        StateStore again = open(dir, created);
        assertEquals(created, again.dbConfig());
        assertEquals(List.of(c), again.allContainers());
    }

    // ---------------------------------------------------------------- several processes

    /** Starts a worker JVM writing to the store under {@code dir}; see {@link StoreWorker}. */
    protected final WorkerProcess startWriter(Path dir, String tag, int worker, int containers, int updates,
                                              boolean removeHalf, int claims) throws IOException {
        List<String> args = new ArrayList<>(List.of("mode=write", "provider=" + providerId(), "dir=" + dir,
                "tag=" + tag, "worker=" + worker, "containers=" + containers, "updates=" + updates,
                "removeHalf=" + removeHalf, "claims=" + claims));
        storeOptions().forEach((k, v) -> args.add("opt." + k + "=" + v));
        WorkerProcess w = workerJvm().start(args);
        children.add(w);
        return w;
    }

    private static final Predicate<String> ACK = l -> l.startsWith("ADDED ") || l.startsWith("SAVED ") || l.startsWith("REMOVED ");
    private static final Predicate<String> PROBLEM = l -> l.startsWith("FAILED ") || l.startsWith("WARNING ");

    private static void awaitReady(WorkerProcess w, long timeoutMillis) throws InterruptedException {
        assertTrue(w.awaitCount("READY"::equals, 1, timeoutMillis),
                () -> w + " did not open the store: " + w.tail() + "\nstderr: " + w.stderr());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    public void concurrentWriterProcessesLoseNothing() throws Exception {
        ConcurrencyProfile p = concurrencyProfile();
        Path dir = newStaticDir();
        String tag = "conc";
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(p.timeoutSeconds());
        List<WorkerProcess> ws = new ArrayList<>();
        // The store does not exist yet: the workers race to create it too.
        for (int w = 0; w < p.processes(); w++) {
            ws.add(startWriter(dir, tag, w, p.containersPerProcess(), p.updatesPerContainer(), p.removeHalf(), p.sharedNames()));
        }
        for (WorkerProcess w : ws) {
            awaitReady(w, deadline - System.currentTimeMillis());
        }
        long go = System.nanoTime();
        for (WorkerProcess w : ws) {
            w.send("GO");
        }
        for (WorkerProcess w : ws) {
            int rc = w.waitFor(Math.max(1, deadline - System.currentTimeMillis()));
            assertEquals(0, rc, () -> w + " failed: " + w.tail() + "\nstderr: " + w.stderr());
        }
        double seconds = (System.nanoTime() - go) / 1e9;

        // Zero errors surfaced to any writer.
        List<String> problems = new ArrayList<>();
        for (WorkerProcess w : ws) {
            w.lines().stream().filter(PROBLEM).forEach(l -> problems.add(w + ": " + l));
        }
        assertEquals(List.of(), problems, "errors or warnings surfaced to the writers");
        int removedPerWorker = p.removeHalf() ? p.containersPerProcess() / 2 : 0;
        for (WorkerProcess w : ws) {
            assertEquals("DONE", w.lines().get(w.lines().size() - 1));
            assertEquals(p.containersPerProcess(), w.count(l -> l.startsWith("ADDED ")));
            assertEquals(p.containersPerProcess() * p.updatesPerContainer(), w.count(l -> l.startsWith("SAVED ")));
            assertEquals(removedPerWorker, w.count(l -> l.startsWith("REMOVED ")));
        }

        // Exactly one writer won each shared name; the others were told NAME_IN_USE.
        int[] winners = new int[p.sharedNames()];
        java.util.Arrays.fill(winners, -1);
        for (int k = 0; k < p.sharedNames(); k++) {
            int claimed = 0;
            int lost = 0;
            for (int w = 0; w < ws.size(); w++) {
                if (ws.get(w).lines().contains("CLAIMED " + k)) {
                    claimed++;
                    winners[k] = w;
                }
                if (ws.get(w).lines().contains("LOST " + k)) {
                    lost++;
                }
            }
            assertEquals(1, claimed, "writers that claimed shared name " + k);
            assertEquals(ws.size() - 1, lost, "writers told the shared name " + k + " is in use");
        }

        // Every record present and intact, every removed one gone.
        List<String> sink = Collections.synchronizedList(new ArrayList<>());
        StateStore s = open(dir, Workload.dbConfig(dir), sink::add);
        Map<String, Container> all = new HashMap<>();
        for (Container c : s.allContainers()) {
            assertTrue(all.put(c.id(), c) == null, "listed twice: " + c.id());
        }
        int lost = 0;
        int torn = 0;
        int resurrected = 0;
        List<String> details = new ArrayList<>();
        for (int w = 0; w < p.processes(); w++) {
            for (int i = 0; i < p.containersPerProcess(); i++) {
                String id = Workload.id(tag, w, i);
                Container c = all.get(id);
                if (p.removeHalf() && i % 2 == 1) {
                    if (c != null || s.hasContainer(id)) {
                        resurrected++;
                        details.add("removed but present: " + Workload.name(tag, w, i));
                    }
                    continue;
                }
                Container expected = Workload.container(tag, w, i, p.updatesPerContainer());
                if (c == null) {
                    lost++;
                    details.add("lost: " + expected.name());
                } else if (!c.equals(expected)) {
                    torn++;
                    details.add("not as last saved: " + expected.name() + " (version " + Workload.versionOf(c) + ")");
                }
            }
        }
        assertEquals(0, lost + torn + resurrected, "lost " + lost + ", torn or stale " + torn + ", resurrected " + resurrected
                + ": " + details.subList(0, Math.min(20, details.size())));
        assertEquals(p.expectedSurvivors() + p.sharedNames(), all.size(), "records in the store");
        for (int k = 0; k < p.sharedNames(); k++) {
            assertEquals(StoreWorker.claimContainer(tag, winners[k], k), s.lookupContainer(StoreWorker.sharedName(tag, k)));
        }
        // spot-check the indexes, not just the listing
        for (int w = 0; w < p.processes(); w++) {
            int last = p.containersPerProcess() - 1;
            int i = p.removeHalf() ? last & ~1 : last;
            Container expected = Workload.container(tag, w, i, p.updatesPerContainer());
            assertEquals(expected, s.lookupContainer(expected.name()));
            assertEquals(expected, s.lookupContainer(expected.id().substring(0, 16)));
        }
        assertEquals(List.of(), sink, "warnings while reading the store");
        int writes = p.processes() * (p.containersPerProcess() * (1 + p.updatesPerContainer())
                + (p.removeHalf() ? p.containersPerProcess() / 2 : 0) + p.sharedNames());
        long slowest = 0;
        for (WorkerProcess w : ws) {
            for (String l : w.lines()) {
                if (l.startsWith("SLOWEST ")) {
                    slowest = Math.max(slowest, Long.parseLong(l.substring(8)));
                }
            }
        }
        System.out.printf(java.util.Locale.ROOT, "[conformance %s] %d processes x %d containers (%d saves each%s) + %d contested names:"
                        + " %d writes in %.1f s, slowest single write %d ms; %d records verified: 0 errors, 0 lost, 0 torn%n",
                providerId(), p.processes(), p.containersPerProcess(), p.updatesPerContainer(),
                p.removeHalf() ? ", half removed" : "", p.sharedNames(), writes, seconds, slowest, all.size());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    public void writerKilledMidStreamLosesNoAcknowledgedWrite() throws Exception {
        CrashProfile cp = crashProfile();
        Path dir = newStaticDir();
        String tag = "crash";
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        List<List<String>> outputs = new ArrayList<>();
        for (int r = 0; r < cp.rounds(); r++) {
            WorkerProcess w = startWriter(dir, tag, r, 1_000_000, cp.updatesPerContainer(), true, 0);
            awaitReady(w, 60_000);
            w.send("GO");
            int want = cp.acksBeforeKill() + rnd.nextInt(cp.acksBeforeKill());
            assertTrue(w.awaitCount(ACK, want, 60_000),
                    () -> w + " acknowledged too little: " + w.tail() + "\nstderr: " + w.stderr());
            assertTrue(w.isAlive(), () -> w + " stopped before it was killed: " + w.tail() + "\nstderr: " + w.stderr());
            w.kill();
            List<String> lines = w.lines();
            assertFalse(lines.contains("DONE"));
            assertEquals(List.of(), lines.stream().filter(PROBLEM).collect(Collectors.toList()), "errors surfaced to " + w);
            outputs.add(lines);
        }

        List<String> sink = Collections.synchronizedList(new ArrayList<>());
        StateStore s = open(dir, Workload.dbConfig(dir), sink::add);
        Map<String, Container> all = new HashMap<>();
        s.allContainers().forEach(c -> all.put(c.id(), c));
        List<String> problems = new ArrayList<>();
        int[] lastAdded = new int[cp.rounds()];
        for (int r = 0; r < cp.rounds(); r++) {
            Map<Integer, Integer> acked = new HashMap<>();
            Set<Integer> removed = new HashSet<>();
            int maxAdded = -1;
            for (String l : outputs.get(r)) {
                String[] f = l.split(" ");
                switch (f[0]) {
                    case "ADDED":
                        maxAdded = Integer.parseInt(f[1]);
                        acked.put(maxAdded, 0);
                        break;
                    case "SAVED":
                        acked.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                        break;
                    case "REMOVED":
                        removed.add(Integer.parseInt(f[1]));
                        break;
                    default:
                        break;
                }
            }
            lastAdded[r] = maxAdded;
            for (int i = 0; i <= maxAdded; i++) {
                String id = Workload.id(tag, r, i);
                Container c = all.get(id);
                if (removed.contains(i)) {
                    if (c != null) {
                        problems.add("acknowledged removal undone: " + Workload.name(tag, r, i));
                    }
                    continue;
                }
                if (c == null) {
                    // only the one removal that was in flight when the writer died may be missing
                    boolean inFlightRemoval = i == maxAdded && i % 2 == 1 && acked.get(i) == cp.updatesPerContainer();
                    if (!inFlightRemoval) {
                        problems.add("acknowledged record lost: " + Workload.name(tag, r, i) + " (acked version " + acked.get(i) + ")");
                    }
                    continue;
                }
                int v = Workload.versionOf(c);
                if (v < acked.get(i)) {
                    problems.add("acknowledged save lost: " + c.name() + " is at version " + v + ", acked " + acked.get(i));
                }
                if (!c.equals(Workload.container(tag, r, i, v))) {
                    problems.add("torn record: " + c.name());
                }
                if (!c.equals(s.lookupContainer(c.name()))) {
                    problems.add("name index disagrees: " + c.name());
                }
            }
        }
        // Every record the store holds, acknowledged or not, is one whole version of one container.
        for (Container c : all.values()) {
            int[] at = Workload.coordinatesOf(c);
            if (at == null || !c.equals(Workload.container(tag, at[0], at[1], Workload.versionOf(c)))) {
                problems.add("torn or foreign record " + c.id());
            } else if (at[1] > lastAdded[at[0]] + 1) {
                List<String> out = outputs.get(at[0]);
                // the writer's last words, to tell a store that wrote ahead from acknowledgements lost on the way
                problems.add("record from beyond the killed writer's last operation: " + c.name() + " (version "
                        + Workload.versionOf(c) + "; the writer's last lines: " + out.subList(Math.max(0, out.size() - 6), out.size()) + ")");
            }
        }
        assertEquals(List.of(), problems, "after SIGKILL (random seed " + seed + ")");
        int acks = 0;
        for (List<String> out : outputs) {
            acks += (int) out.stream().filter(ACK).count();
        }
        System.out.printf(java.util.Locale.ROOT, "[conformance %s] %d writers killed with SIGKILL after %d acknowledged writes in all;"
                + " %d records intact, none lost%n", providerId(), cp.rounds(), acks, all.size());
        assertEquals(List.of(), sink, "warnings while reading the store after SIGKILL");

        // The store takes writes where the killed writers stopped, reclaiming any half-written name.
        for (int r = 0; r < cp.rounds(); r++) {
            for (int i = lastAdded[r] + 1; i <= lastAdded[r] + 2; i++) {
                Container c = Workload.container(tag, r, i, cp.updatesPerContainer());
                if (s.hasContainer(c.id())) {
                    s.saveContainer(c);
                } else {
                    s.addContainer(c);
                }
                assertEquals(c, s.lookupContainer(c.name()));
            }
        }
    }

    // ---------------------------------------------------------------- hooks for backend-specific tests

    /**
     * Damages one of five records with {@code corrupter} and checks that the store reports it (naming
     * what the corrupter says) through the warnings sink when listing, fails with STATE_CORRUPT when it
     * is asked for directly, still serves the other four, and lets the damaged one be removed and its
     * name reused.
     */
    protected final void assertCorruptRecordIsReported(RecordCorrupter corrupter) throws Exception {
        Path dir = newStaticDir();
        StateStore s = open(dir);
        List<Container> cs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Container c = Workload.container("bad", 0, i, 2);
            s.addContainer(c);
            cs.add(c);
        }
        s.close();
        Container victim = cs.get(2);
        String mustName = corrupter.corrupt(dir, victim.id());

        List<String> sink = Collections.synchronizedList(new ArrayList<>());
        StateStore again = open(dir, Workload.dbConfig(dir), sink::add);
        List<Container> others = new ArrayList<>(cs);
        others.remove(victim);
        Comparator<Container> byId = Comparator.comparing(Container::id);
        List<Container> listed = new ArrayList<>(again.allContainers());
        listed.sort(byId);
        others.sort(byId);
        assertEquals(others, listed, "the intact records are all listed");
        assertEquals(1, sink.size(), "one warning for the one bad record: " + sink);
        assertTrue(sink.get(0).contains(mustName), "the warning names " + mustName + ": " + sink.get(0));
        BerthException e = expectError(ErrorCode.STATE_CORRUPT, () -> again.container(victim.id()));
        assertTrue(e.getMessage().contains(mustName), "the error names " + mustName + ": " + e.getMessage());
        assertEquals(125, e.exitCode());
        for (Container c : others) {
            assertEquals(c, again.lookupContainer(c.name()));
        }
        // podman rm --force on a damaged record: it goes, and its name is free again
        again.removeContainer(victim.id());
        assertFalse(again.hasContainer(victim.id()));
        Container replacement = named(hexId("f00d", 1), victim.name());
        again.addContainer(replacement);
        assertEquals(replacement, again.lookupContainer(victim.name()));
    }

    /**
     * Runs {@link StoreWorker} in probe mode (find the provider, call {@code id()}, open nothing) with
     * class-load logging, and returns the names of every class the child loaded.
     */
    protected final List<String> classesLoadedByProviderProbe() throws Exception {
        WorkerProcess w = workerJvm().jvmArgs("-Xlog:class+load=info:stdout:tags")
                .start("mode=probe", "provider=" + providerId());
        children.add(w);
        int rc = w.waitFor(60_000);
        assertEquals(0, rc, () -> w + " failed: " + w.tail() + "\nstderr: " + w.stderr());
        assertTrue(w.lines().contains("PROVIDER " + providerId()), w::tail);
        List<String> classes = new ArrayList<>();
        for (String l : w.lines()) {
            // "[class,load] java.lang.Object source: jrt:/java.base"
            if (l.startsWith("[class,load] ")) {
                String rest = l.substring("[class,load] ".length());
                int sp = rest.indexOf(' ');
                classes.add(sp < 0 ? rest : rest.substring(0, sp));
            }
        }
        assertFalse(classes.isEmpty(), "no class-load log in the probe's output");
        return classes;
    }

    // ---------------------------------------------------------------- named volumes

    /** A volume as {@code volume create} makes one, with options and labels. */
    protected static berth.kernel.model.Volume volume(String name, boolean anonymous) {
        return new berth.kernel.model.Volume(name, "local", "/var/lib/berth/volumes/" + name + "/_data",
                Map.of("app", "web", "tier", ""), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=2m"),
                java.time.Instant.parse("2026-12-03T12:00:00.123456789Z"), anonymous, true, 0, 0);
    }

    @Test
    public void volumesReadBackEqualAndListSortedByName() throws Exception {
        StateStore s = open(newStaticDir());
        assertEquals(List.of(), s.allVolumes(), "a new store has no volumes");
        berth.kernel.model.Volume b = volume("beta", false);
        berth.kernel.model.Volume a = volume("alpha.1_x-y", true);
        berth.kernel.model.Volume plain = new berth.kernel.model.Volume("plain", "local", "/v/plain/_data", Map.of(), Map.of(),
                null, false, false, 1000, 1000);
        s.addVolume(b);
        s.addVolume(a);
        s.addVolume(plain);
        assertEquals(a, s.volume(a.name()));
        assertEquals(b, s.volume("beta"));
        assertEquals(plain, s.volume("plain"));
        assertEquals(List.of(a, b, plain), s.allVolumes());
        assertTrue(s.findVolume("beta").isPresent());
        assertFalse(s.findVolume("gamma").isPresent());
    }

    @Test
    public void volumeNameIsUniqueAndErrorsAreSentinels() throws Exception {
        StateStore s = open(newStaticDir());
        s.addVolume(volume("data", false));
        BerthException e = expectError(ErrorCode.VOLUME_EXISTS, () -> s.addVolume(volume("data", true)));
        assertTrue(e.getMessage().contains("data"), e.getMessage());
        assertFalse(s.volume("data").anonymous(), "a refused add changes nothing");
        e = expectError(ErrorCode.NO_SUCH_VOLUME, () -> s.volume("bogus"));
        assertEquals("no volume with name \"bogus\" found: no such volume", e.getMessage(), "podman's wording");
        expectError(ErrorCode.NO_SUCH_VOLUME, () -> s.removeVolume("bogus"));
        expectError(ErrorCode.NO_SUCH_VOLUME, () -> s.saveVolume(volume("bogus", false)));
        expectError(ErrorCode.NO_SUCH_VOLUME, () -> s.volume(""));
        assertFalse(s.findVolume("bogus").isPresent(), "a refused save must not create the volume");
        assertEquals(1, s.allVolumes().size());
    }

    @Test
    public void volumesAndContainersHaveSeparateNamespaces() throws Exception {
        StateStore s = open(newStaticDir());
        s.addContainer(named(hexId("c0", 1), "shared"));
        s.addVolume(volume("shared", false));
        assertEquals("shared", s.lookupContainer("shared").name());
        assertEquals("shared", s.volume("shared").name());
        s.removeVolume("shared");
        assertEquals(1, s.allContainers().size(), "removing a volume leaves the container of that name");
    }

    @Test
    public void volumeSaveRemoveAndReopen() throws Exception {
        Path dir = newStaticDir();
        StateStore s = open(dir);
        berth.kernel.model.Volume v = volume("keep", false);
        s.addVolume(v);
        s.addVolume(volume("drop", true));
        berth.kernel.model.Volume copied = v.withNeedsCopyUp(false);
        s.saveVolume(copied);
        assertEquals(copied, s.volume("keep"));
        s.removeVolume("drop");
        expectError(ErrorCode.NO_SUCH_VOLUME, () -> s.volume("drop"));
        s.addVolume(volume("drop", false)); // the name is free again
        s.removeVolume("drop");
        s.close();
        StateStore again = open(dir);
        assertEquals(List.of(copied), again.allVolumes(), "volumes survive a reopen");
    }

    // ---------------------------------------------------------------- utilities

    /** Deletes a directory tree (used for the suite's temporary static dirs). */
    protected static void deleteTree(Path root) throws IOException {
        FileTrees.delete(root);
    }
}
