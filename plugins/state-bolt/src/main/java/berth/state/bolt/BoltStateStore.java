package berth.state.bolt;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.support.Names;
import berth.bolt.db.BoltDb;
import berth.bolt.db.Bucket;
import berth.bolt.db.Tx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The boltdb backend: {@code STATIC_DIR/bolt_state.db} in libpod's layout (podman 4.3's
 * libpod/boltdb_state.go), so that berth reads the containers podman created there.
 *
 * <p>Top-level buckets as libpod creates them. Per container, a bucket under {@code ctr} named by
 * the ID with the keys {@code config} and {@code state} (berth writes its own
 * {@link ContainerConfig} and {@link ContainerState} JSON there, and a {@code berth-format} key
 * saying so), {@code netns} when the state names one, and a {@code dependencies} bucket listing
 * the containers that depend on it; the ID in {@code id-registry} and {@code all-ctrs} (ID to
 * name) and the name in {@code name-registry} (name to ID). {@code runtime-config} records the
 * paths the database was created with ({@link DbConfig}).
 *
 * <p>Like libpod, every operation opens the file, takes bbolt's flock (shared to read, exclusive
 * to write), runs one transaction and closes it again, so podman and berth can take turns.
 * Containers podman created are read-only here.
 */
final class BoltStateStore implements StateStore {
    static final String DB_FILE = "bolt_state.db";

    static final String ID_REGISTRY = "id-registry";
    static final String NAME_REGISTRY = "name-registry";
    static final String NS_REGISTRY = "ns-registry";
    static final String CTR = "ctr";
    static final String ALL_CTRS = "all-ctrs";
    static final String POD = "pod";
    static final String ALL_PODS = "allPods";
    static final String VOL = "vol";
    static final String ALL_VOLS = "allVolumes";
    static final String EXEC = "exec";
    static final String RUNTIME_CONFIG = "runtime-config";
    static final String EXIT_CODE = "exit-code";
    static final String EXIT_CODE_TIME_STAMP = "exit-code-time-stamp";
    static final String VOLUME_CTRS = "volume-ctrs";
    /** The buckets libpod's NewBoltState creates, in its order. */
    static final List<String> TOP_BUCKETS = List.of(ID_REGISTRY, NAME_REGISTRY, NS_REGISTRY, CTR, ALL_CTRS, POD, ALL_PODS,
            VOL, ALL_VOLS, EXEC, RUNTIME_CONFIG, EXIT_CODE, EXIT_CODE_TIME_STAMP, VOLUME_CTRS);

    static final String CONFIG = "config";
    static final String STATE = "state";
    static final String NETNS = "netns";
    static final String DEPENDENCIES = "dependencies";
    static final String NETWORKS = "networks";
    /** In a volume's bucket: the containers using it (libpod's volCtrDependencies); berth leaves it empty. */
    static final String VOL_DEPENDENCIES = "vol-dependencies";
    /** Present in the bucket of a container berth wrote; its value is the record format version. */
    static final String BERTH_FORMAT = "berth-format";
    /** Record format 2: libpod's JSON under config/state (podman reads it), berth's under these keys. */
    static final String BERTH_CONFIG = "berth-config";
    static final String BERTH_STATE = "berth-state";
    static final String FORMAT_LIBPOD = "2";

    static final String KEY_OS = "os";
    static final String KEY_STATIC_DIR = "static-dir";
    static final String KEY_TMP_DIR = "tmp-dir";
    static final String KEY_RUN_ROOT = "run-root";
    static final String KEY_GRAPH_ROOT = "graph-root";
    static final String KEY_GRAPH_DRIVER = "graph-driver-name";
    static final String KEY_VOLUME_PATH = "volume-path";

    private final Path dbPath;
    private final DbConfig dbConfig;
    private final Consumer<String> warnings;
    private final Duration lockTimeout;

    private BoltStateStore(Path dbPath, DbConfig dbConfig, Consumer<String> warnings, Duration lockTimeout) {
        this.dbPath = dbPath;
        this.dbConfig = dbConfig;
        this.warnings = warnings;
        this.lockTimeout = lockTimeout;
    }

    /** What {@link #open} found in the file. */
    private record Layout(boolean bucketsMissing, DbConfig stored, boolean osMissing) {
    }

    static BoltStateStore open(StateStoreConfig config) {
        Path dir = config.staticDir();
        Path db = dir.resolve(DB_FILE);
        Duration timeout = Duration.ofSeconds(60);
        String t = config.options().get("lock_timeout");
        if (t != null) {
            try {
                timeout = Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
            } catch (NumberFormatException e) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "boltdb option lock_timeout \"" + t + "\" is not a number of seconds");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
        DbConfig want = config.engineConfig();
        BoltStateStore probe = new BoltStateStore(db.toAbsolutePath(), want, config.warnings(), timeout);
        Layout layout = null;
        boolean exists;
        try {
            exists = Files.exists(db) && Files.size(db) > 0;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read " + db + ": " + e.getMessage(), e);
        }
        if (exists) {
            // Look first without writing: a database that is complete (podman's, say) is left untouched.
            layout = probe.read(BoltStateStore::inspect);
            checkConfig(want, layout.stored(), probe.dbPath);
        }
        if (layout == null || layout.bucketsMissing() || layout.osMissing() || missingKeys(layout.stored(), want)) {
            layout = probe.write(tx -> {
                Layout l = inspect(tx);
                checkConfig(want, l.stored(), probe.dbPath);
                for (String b : TOP_BUCKETS) {
                    tx.createBucketIfNotExists(b);
                }
                Bucket rc = tx.bucket(RUNTIME_CONFIG);
                if (rc.get(KEY_OS) == null) {
                    rc.put(KEY_OS, "linux");
                }
                if (want != null) {
                    putIfMissing(rc, KEY_STATIC_DIR, want.staticDir());
                    putIfMissing(rc, KEY_TMP_DIR, want.tmpDir());
                    putIfMissing(rc, KEY_GRAPH_ROOT, want.graphRoot());
                    putIfMissing(rc, KEY_RUN_ROOT, want.runRoot());
                    putIfMissing(rc, KEY_VOLUME_PATH, want.volumePath());
                }
                return new Layout(false, storedConfig(rc), false);
            });
        }
        DbConfig s = layout.stored();
        DbConfig effective = new DbConfig(pick(s.staticDir(), want == null ? null : want.staticDir()),
                pick(s.tmpDir(), want == null ? null : want.tmpDir()), pick(s.graphRoot(), want == null ? null : want.graphRoot()),
                pick(s.runRoot(), want == null ? null : want.runRoot()), pick(s.volumePath(), want == null ? null : want.volumePath()));
        return new BoltStateStore(probe.dbPath, effective, config.warnings(), timeout);
    }

    /** The DbConfig check, on cleaned paths (libpod stores filepath.Clean'ed ones). */
    private static void checkConfig(DbConfig want, DbConfig stored, Path db) {
        if (want != null) {
            clean(want).checkMatches(clean(stored), db.toString());
        }
    }

    private static String pick(String stored, String wanted) {
        return stored != null && !stored.isEmpty() ? stored : wanted;
    }

    private static boolean missingKeys(DbConfig stored, DbConfig want) {
        if (want == null) {
            return false;
        }
        return (stored.staticDir() == null && want.staticDir() != null) || (stored.tmpDir() == null && want.tmpDir() != null)
                || (stored.graphRoot() == null && want.graphRoot() != null) || (stored.runRoot() == null && want.runRoot() != null)
                || (stored.volumePath() == null && want.volumePath() != null);
    }

    private static void putIfMissing(Bucket rc, String key, String value) {
        if (value != null && rc.get(key) == null) {
            rc.put(key, value);
        }
    }

    private static Layout inspect(Tx tx) {
        boolean missing = false;
        for (String b : TOP_BUCKETS) {
            if (tx.bucket(b) == null) {
                missing = true;
            }
        }
        Bucket rc = tx.bucket(RUNTIME_CONFIG);
        if (rc == null) {
            return new Layout(true, new DbConfig(null, null, null, null, null), true);
        }
        return new Layout(missing, storedConfig(rc), rc.get(KEY_OS) == null);
    }

    private static DbConfig storedConfig(Bucket rc) {
        return new DbConfig(rc.getString(KEY_STATIC_DIR), rc.getString(KEY_TMP_DIR), rc.getString(KEY_GRAPH_ROOT),
                rc.getString(KEY_RUN_ROOT), rc.getString(KEY_VOLUME_PATH));
    }

    /** libpod stores filepath.Clean'ed paths; compare like with like. */
    private static DbConfig clean(DbConfig c) {
        if (c == null) {
            return null;
        }
        return new DbConfig(clean(c.staticDir()), clean(c.tmpDir()), clean(c.graphRoot()), clean(c.runRoot()), clean(c.volumePath()));
    }

    private static String clean(String p) {
        if (p == null || p.isEmpty()) {
            return p;
        }
        try {
            return Path.of(p).normalize().toString();
        } catch (RuntimeException e) {
            return p;
        }
    }

    // ---- transactions

    private <T> T read(Function<Tx, T> fn) {
        try (BoltDb db = BoltDb.open(dbPath, BoltDb.Options.readOnly().lockTimeout(lockTimeout))) {
            return db.view(fn);
        }
    }

    private <T> T write(Function<Tx, T> fn) {
        try (BoltDb db = BoltDb.open(dbPath, BoltDb.Options.readWrite().lockTimeout(lockTimeout))) {
            return db.update(fn);
        }
    }

    private Bucket need(Tx tx, String name) {
        Bucket b = tx.bucket(name);
        if (b == null) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "bolt database " + dbPath + " lacks its \"" + name + "\" bucket");
        }
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    // ---- StateStore

    @Override
    public String backend() {
        return "boltdb";
    }

    @Override
    public DbConfig dbConfig() {
        return dbConfig;
    }

    /** The database file. */
    Path path() {
        return dbPath;
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty() || id.contains("/")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid container ID \"" + id + "\"");
        }
    }

    private static BerthException noSuchId(String id) {
        return new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with ID " + id + " found in database");
    }

    @Override
    public void addContainer(Container c) {
        addContainer(c, -1);
    }

    /** {@inheritDoc} A negative number: the lowest number no record in this database holds. */
    @Override
    public void addContainer(Container c, int lockNumber) {
        checkId(c.id());
        Names.requireFileSafe("container name", c.name());
        byte[] config = Json.writeBytes(c.config().toJson());
        byte[] state = Json.writeBytes(c.state().toJson());
        byte[] libpodState = Json.writeBytes(LibpodRecords.state(c, dbConfig).asMap());
        makeShmDir(c);
        byte[] id = utf8(c.id());
        byte[] name = utf8(c.name());
        write(tx -> {
            Bucket ids = need(tx, ID_REGISTRY);
            Bucket names = need(tx, NAME_REGISTRY);
            Bucket ctrs = need(tx, CTR);
            Bucket all = need(tx, ALL_CTRS);
            if (ids.get(id) != null || ctrs.bucket(id) != null) {
                boolean pod = all.get(id) == null && ctrs.bucket(id) == null;
                throw new BerthException(ErrorCode.CONTAINER_EXISTS, "container with ID " + c.id() + " already exists"
                        + (pod ? " (the ID is in use by a pod)" : ""));
            }
            byte[] owner = names.get(name);
            if (owner != null) {
                throw new BerthException(ErrorCode.NAME_IN_USE, "the container name \"" + c.name() + "\" is already in use by "
                        + str(owner) + "; remove that container or choose another name");
            }
            ids.put(id, name);
            names.put(name, id);
            all.put(id, name);
            Bucket cb = ctrs.createBucket(id);
            cb.put(CONFIG, Json.writeBytes(LibpodRecords.config(c, dbConfig, lockNumber >= 0 ? lockNumber : LockIds.next(ctrs)).asMap()));
            cb.put(STATE, libpodState);
            cb.put(BERTH_CONFIG, config);
            cb.put(BERTH_STATE, state);
            cb.put(BERTH_FORMAT, FORMAT_LIBPOD);
            if (c.state().netNsPath() != null && !c.state().netNsPath().isEmpty()) {
                cb.put(NETNS, c.state().netNsPath());
            }
            cb.createBucket(DEPENDENCIES);
            for (String dep : new LinkedHashSet<>(c.config().dependencies())) {
                addDependent(ctrs, dep, id, name);
            }
            return null;
        });
    }

    /**
     * The directories podman expects when it starts the container: it mounts a tmpfs on the
     * config's ShmDir and writes /etc files to the state's runDir. Made only under the graph root and
     * run root the database records, when those exist (berth's engine makes them).
     */
    private void makeShmDir(Container c) {
        if (dbConfig == null) {
            return;
        }
        makeUnder(dbConfig.graphRoot(), Path.of(LibpodRecords.staticDir(c.config(), dbConfig), "shm"));
        makeUnder(dbConfig.runRoot(), Path.of(LibpodRecords.runDir(c.config(), dbConfig)));
    }

    private void makeUnder(String root, Path dir) {
        if (root == null || !Files.isDirectory(Path.of(root)) || !dir.normalize().startsWith(Path.of(root).normalize())) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot create " + dir + " for podman: " + e.getMessage());
        }
    }

    private static void addDependent(Bucket ctrs, String dep, byte[] id, byte[] name) {
        Bucket d = dep == null || dep.isEmpty() ? null : ctrs.bucket(dep);
        if (d != null) {
            d.createBucketIfNotExists(DEPENDENCIES).put(id, name);
        }
    }

    private static void removeDependent(Bucket ctrs, String dep, byte[] id) {
        Bucket d = dep == null || dep.isEmpty() ? null : ctrs.bucket(dep);
        Bucket deps = d == null ? null : d.bucket(DEPENDENCIES);
        if (deps != null) {
            deps.delete(id);
        }
    }

    @Override
    public void saveContainer(Container c) {
        checkId(c.id());
        Names.requireFileSafe("container name", c.name());
        byte[] config = Json.writeBytes(c.config().toJson());
        byte[] state = Json.writeBytes(c.state().toJson());
        byte[] id = utf8(c.id());
        byte[] name = utf8(c.name());
        write(tx -> {
            Bucket ctrs = need(tx, CTR);
            Bucket cb = ctrs.bucket(id);
            if (cb == null) {
                throw noSuchId(c.id());
            }
            if (cb.get(BERTH_FORMAT) == null) {
                savePodmansState(cb, c);
                return null;
            }
            boolean libpodFormat = cb.get(BERTH_CONFIG) != null;
            ContainerConfig old = null;
            long lockId = 0;
            try {
                old = ContainerConfig.fromJson(Json.parseObject(cb.get(libpodFormat ? BERTH_CONFIG : CONFIG)));
                lockId = libpodFormat ? Json.parseObject(cb.get(CONFIG)).lng("lockID", 0) : LockIds.next(ctrs);
            } catch (IOException | RuntimeException e) {
                warnings.accept("replacing the corrupt record of container " + c.id() + " in " + dbPath + ": " + e.getMessage());
            }
            Bucket ids = need(tx, ID_REGISTRY);
            Bucket names = need(tx, NAME_REGISTRY);
            Bucket all = need(tx, ALL_CTRS);
            String oldName = old != null ? old.name() : str(ids.get(id));
            if (!c.name().equals(oldName)) {
                byte[] owner = names.get(name);
                if (owner != null && !java.util.Arrays.equals(owner, id)) {
                    throw new BerthException(ErrorCode.NAME_IN_USE, "the container name \"" + c.name() + "\" is already in use by "
                            + str(owner) + "; remove that container or choose another name");
                }
                if (oldName != null && java.util.Arrays.equals(names.get(oldName), id)) {
                    names.delete(oldName);
                }
                names.put(name, id);
                ids.put(id, name);
                all.put(id, name);
            }
            cb.put(CONFIG, Json.writeBytes(LibpodRecords.config(c, dbConfig, lockId).asMap()));
            cb.put(STATE, Json.writeBytes(LibpodRecords.state(c, dbConfig).asMap()));
            cb.put(BERTH_CONFIG, config);
            cb.put(BERTH_STATE, state);
            cb.put(BERTH_FORMAT, FORMAT_LIBPOD);
            if (c.state().netNsPath() != null && !c.state().netNsPath().isEmpty()) {
                cb.put(NETNS, c.state().netNsPath());
            } else {
                cb.delete(NETNS);
            }
            Set<String> before = new LinkedHashSet<>(old != null ? old.dependencies() : List.of());
            Set<String> after = new LinkedHashSet<>(c.config().dependencies());
            for (String d : before) {
                if (!after.contains(d)) {
                    removeDependent(ctrs, d, id);
                }
            }
            for (String d : after) {
                if (!before.contains(d) || !c.name().equals(oldName)) {
                    addDependent(ctrs, d, id, name);
                }
            }
            return null;
        });
    }

    /**
     * berth changed the state of a container podman created (started, stopped, reaped it): libpod's
     * state JSON keeps every field berth has no model of, and takes berth's lifecycle fields. Its
     * config stays podman's.
     */
    private void savePodmansState(Bucket cb, Container c) {
        try {
            byte[] current = cb.get(STATE);
            JsonObject s = current == null ? new JsonObject() : Json.parseObject(current);
            cb.put(STATE, Json.writeBytes(LibpodRecords.overlay(s, c.state()).asMap()));
        } catch (IOException e) {
            throw corruptRecord(c.id(), "its libpod state cannot be read: " + e.getMessage());
        }
        if (c.state().netNsPath() != null && !c.state().netNsPath().isEmpty()) {
            cb.put(NETNS, c.state().netNsPath());
        }
    }

    @Override
    public void removeContainer(String idString) {
        if (idString == null || idString.isEmpty() || idString.contains("/")) {
            throw noSuchId(idString);
        }
        byte[] id = utf8(idString);
        write(tx -> {
            Bucket ctrs = need(tx, CTR);
            Bucket cb = ctrs.bucket(id);
            if (cb == null) {
                throw noSuchId(idString);
            }
            List<String> deps = List.of();
            String name = null;
            try {
                byte[] own = cb.get(BERTH_CONFIG) != null ? cb.get(BERTH_CONFIG) : cb.get(CONFIG);
                ContainerConfig old = cb.get(BERTH_FORMAT) != null ? ContainerConfig.fromJson(Json.parseObject(own))
                        : PodmanRecords.toContainer(idString, cb.get(CONFIG), null, null, List.of()).config();
                deps = old.dependencies();
                name = old.name();
            } catch (IOException | RuntimeException e) {
                warnings.accept("removing container " + idString + " whose record in " + dbPath + " is corrupt: " + e.getMessage());
            }
            Bucket ids = need(tx, ID_REGISTRY);
            Bucket names = need(tx, NAME_REGISTRY);
            if (name == null) {
                name = str(ids.get(id));
            }
            ctrs.deleteBucket(id);
            ids.delete(id);
            if (name != null && java.util.Arrays.equals(names.get(name), id)) {
                names.delete(name);
            }
            for (String b : List.of(NS_REGISTRY, ALL_CTRS, EXIT_CODE, EXIT_CODE_TIME_STAMP)) {
                Bucket bk = tx.bucket(b);
                if (bk != null) {
                    bk.delete(id);
                }
            }
            for (String d : deps) {
                removeDependent(ctrs, d, id);
            }
            return null;
        });
    }

    /** Reads one container record; null when there is no bucket for the ID. */
    private Container readContainer(Bucket ctrs, byte[] id) {
        Bucket cb = ctrs.bucket(id);
        if (cb == null) {
            return null;
        }
        String ids = str(id);
        byte[] config = cb.get(CONFIG);
        if (config == null) {
            throw corruptRecord(ids, "it has no config key");
        }
        byte[] state = cb.get(STATE);
        try {
            if (cb.get(BERTH_FORMAT) != null) {
                byte[] own = cb.get(BERTH_CONFIG);
                if (own != null) {
                    // format 2: podman may have changed libpod's state since berth wrote its own
                    byte[] ownState = cb.get(BERTH_STATE);
                    ContainerConfig c = ContainerConfig.fromJson(Json.parseObject(own));
                    ContainerState s = ownState == null ? ContainerState.configured() : ContainerState.fromJson(Json.parseObject(ownState));
                    return new Container(c, LibpodRecords.merge(s, state == null ? null : Json.parseObject(state)));
                }
                ContainerConfig c = ContainerConfig.fromJson(Json.parseObject(config));
                if (!ids.equals(c.id())) {
                    throw new IllegalArgumentException("its config names ID " + c.id());
                }
                if (c.name() == null || c.name().isEmpty()) {
                    throw new IllegalArgumentException("its config has no name"); // callers sort and match by it
                }
                ContainerState s = state == null ? ContainerState.configured() : ContainerState.fromJson(Json.parseObject(state));
                return new Container(c, s);
            }
            List<String> networks = new ArrayList<>();
            Bucket nets = cb.bucket(NETWORKS);
            if (nets != null) {
                nets.forEach((k, v) -> networks.add(str(k)));
            }
            return PodmanRecords.toContainer(ids, config, state, cb.getString(NETNS), networks);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BerthException b && b.code() == ErrorCode.STATE_CORRUPT) {
                throw b; // the database's own damage (a bad page), named by the db layer
            }
            // anything else is the record's: a value the model refuses (INVALID_ARGUMENT for port 0) too
            throw corruptRecord(ids, e.getMessage());
        }
    }

    /** A record that cannot be decoded; listing skips it (the database itself is sound). */
    private static final class CorruptRecord extends BerthException {
        private static final long serialVersionUID = 1L;

        CorruptRecord(String message) {
            super(ErrorCode.STATE_CORRUPT, message);
        }
    }

    private BerthException corruptRecord(String id, String why) {
        return new CorruptRecord("container record " + id + " in " + dbPath + " is corrupt (" + why
                + "); other containers are unaffected");
    }

    @Override
    public Container container(String id) {
        if (id == null || id.isEmpty()) {
            throw noSuchId(id);
        }
        Container c = read(tx -> readContainer(need(tx, CTR), utf8(id)));
        if (c == null) {
            throw noSuchId(id);
        }
        return c;
    }

    @Override
    public java.util.OptionalInt lockNumber(String id) {
        if (id == null || id.isEmpty()) {
            return java.util.OptionalInt.empty();
        }
        long n = read(tx -> {
            Bucket cb = need(tx, CTR).bucket(utf8(id));
            byte[] config = cb == null ? null : cb.get(CONFIG);
            return config == null ? -1L : LockIds.lockId(config);
        });
        return n >= 0 && n <= Integer.MAX_VALUE ? java.util.OptionalInt.of((int) n) : java.util.OptionalInt.empty();
    }

    @Override
    public boolean readByPodman() {
        return true; // every record carries libpod's config and state
    }

    @Override
    public boolean hasContainer(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        return read(tx -> need(tx, CTR).bucket(utf8(id)) != null);
    }

    @Override
    public Container lookupContainer(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with name or ID \"" + idOrName + "\" found");
        }
        byte[] key = utf8(idOrName);
        return read(tx -> {
            Bucket ctrs = need(tx, CTR);
            byte[] owner = need(tx, NAME_REGISTRY).get(key);
            if (owner != null && ctrs.bucket(owner) != null) {
                return readContainer(ctrs, owner);
            }
            if (ctrs.bucket(key) != null) {
                return readContainer(ctrs, key);
            }
            List<byte[]> matches = ctrs.keysWithPrefix(key, 2);
            if (matches.isEmpty()) {
                throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with name or ID \"" + idOrName + "\" found");
            }
            if (matches.size() > 1) {
                throw new BerthException(ErrorCode.AMBIGUOUS_ID, "more than one result for container ID prefix \"" + idOrName
                        + "\": " + str(matches.get(0)) + ", " + str(matches.get(1)) + "...");
            }
            return readContainer(ctrs, matches.get(0));
        });
    }

    @Override
    public List<Container> allContainers() {
        List<Container> out = read(tx -> {
            Bucket ctrs = need(tx, CTR);
            List<byte[]> ids = new ArrayList<>();
            ctrs.forEach((k, v) -> {
                if (v == null) {
                    ids.add(k);
                }
            });
            List<Container> list = new ArrayList<>(ids.size());
            for (byte[] id : ids) {
                try {
                    Container c = readContainer(ctrs, id);
                    if (c != null) {
                        list.add(c);
                    }
                } catch (CorruptRecord e) {
                    warnings.accept(e.getMessage());
                }
            }
            return list;
        });
        out.sort((a, b) -> {
            int c = compareNullable(b.config().createdAt(), a.config().createdAt());
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        return out;
    }

    private static int compareNullable(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    // ---- volumes, as libpod's AddVolume writes them: vol/NAME/{config,state,vol-dependencies} and allVolumes NAME=NAME

    private static BerthException noSuchVolume(String name) {
        return new BerthException(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + name + "\" found");
    }

    @Override
    public void addVolume(berth.kernel.model.Volume v) {
        Names.requireFileSafe("volume name", v.name());
        byte[] name = utf8(v.name());
        byte[] config = Json.writeBytes(v.toJson());
        byte[] state = Json.writeBytes(v.stateJson());
        write(tx -> {
            Bucket vols = need(tx, VOL);
            Bucket all = need(tx, ALL_VOLS);
            if (all.get(name) != null || vols.bucket(name) != null) {
                throw new BerthException(ErrorCode.VOLUME_EXISTS, "volume with name " + v.name() + " already exists");
            }
            Bucket vb = vols.createBucket(name);
            vb.createBucket(VOL_DEPENDENCIES);
            vb.put(CONFIG, config);
            vb.put(STATE, state);
            all.put(name, name);
            return null;
        });
    }

    @Override
    public void saveVolume(berth.kernel.model.Volume v) {
        byte[] name = utf8(v.name());
        byte[] config = Json.writeBytes(v.toJson());
        byte[] state = Json.writeBytes(v.stateJson());
        write(tx -> {
            Bucket vb = v.name().isEmpty() ? null : need(tx, VOL).bucket(name);
            if (vb == null) {
                throw noSuchVolume(v.name());
            }
            vb.put(CONFIG, config);
            vb.put(STATE, state);
            return null;
        });
    }

    @Override
    public void removeVolume(String nameString) {
        if (nameString == null || nameString.isEmpty()) {
            throw noSuchVolume(nameString);
        }
        byte[] name = utf8(nameString);
        write(tx -> {
            Bucket vols = need(tx, VOL);
            if (vols.bucket(name) == null) {
                throw noSuchVolume(nameString);
            }
            vols.deleteBucket(name);
            need(tx, ALL_VOLS).delete(name);
            return null;
        });
    }

    @Override
    public berth.kernel.model.Volume volume(String nameString) {
        if (nameString == null || nameString.isEmpty()) {
            throw noSuchVolume(nameString);
        }
        berth.kernel.model.Volume v = read(tx -> readVolume(need(tx, VOL), utf8(nameString)));
        if (v == null) {
            throw noSuchVolume(nameString);
        }
        return v;
    }

    @Override
    public List<berth.kernel.model.Volume> allVolumes() {
        return read(tx -> {
            Bucket vols = need(tx, VOL);
            List<byte[]> names = new ArrayList<>();
            vols.forEach((k, val) -> {
                if (val == null) {
                    names.add(k);
                }
            });
            List<berth.kernel.model.Volume> out = new ArrayList<>(names.size());
            for (byte[] n : names) {
                try {
                    berth.kernel.model.Volume v = readVolume(vols, n);
                    if (v != null) {
                        out.add(v);
                    }
                } catch (CorruptRecord e) {
                    warnings.accept(e.getMessage());
                }
            }
            return out; // bolt iterates keys in byte order: sorted by name
        });
    }

    private berth.kernel.model.Volume readVolume(Bucket vols, byte[] name) {
        Bucket vb = vols.bucket(name);
        if (vb == null) {
            return null;
        }
        byte[] config = vb.get(CONFIG);
        byte[] state = vb.get(STATE);
        try {
            if (config == null) {
                throw new IllegalArgumentException("it has no config key");
            }
            berth.kernel.model.Volume v = berth.kernel.model.Volume.fromJson(Json.parseObject(config),
                    state == null ? null : Json.parseObject(state));
            if (!v.name().equals(str(name))) {
                throw new IllegalArgumentException("its config names volume " + v.name());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BerthException b && b.code() == ErrorCode.STATE_CORRUPT) {
                throw b;
            }
            throw new CorruptRecord("volume record " + str(name) + " in " + dbPath + " is corrupt (" + e.getMessage()
                    + "); other volumes are unaffected");
        }
    }

    @Override
    public void close() {
        // nothing held between calls: each operation opens and closes the database
    }
}
