package berth.state.sqlite;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Container;
import berth.kernel.model.ExecSession;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import org.sqlite.jdbc4.JDBC4Connection;

/**
 * The SQLite backend: {@code STATIC_DIR/db.sql}, tables as in {@link SqliteSchema}.
 *
 * <h2>Concurrency</h2>
 * Several berth processes open the same file at once. The database is in WAL mode, so readers never
 * block the writer nor each other. Every write is one transaction begun with {@code BEGIN IMMEDIATE},
 * which takes the database's write lock before reading anything: a writer never starts on a read
 * snapshot it cannot later upgrade (the deferred-transaction deadlock that makes SQLite return
 * SQLITE_BUSY without waiting). Waiting for the lock is SQLite's busy handler ({@code busy_timeout});
 * should SQLite still answer SQLITE_BUSY or SQLITE_LOCKED (WAL recovery by another process, a
 * journal-mode change), the whole transaction is retried a bounded number of times with jittered
 * exponential backoff. What finally reaches the caller is a {@link BerthException} (TIMEOUT) naming
 * the file; never a raw SQLITE_BUSY. Within one process a lock serialises the store's users, since a
 * JDBC connection is not for concurrent use.
 *
 * <h2>Durability</h2>
 * {@code synchronous=FULL} (option {@code sqlite.synchronous}): in WAL mode each commit then fsyncs
 * the WAL before returning, so a commit the caller saw survives power loss and kernel crashes, not
 * just the death of the process. NORMAL would skip that fsync (the WAL is synced only at
 * checkpoints) and stays safe against SIGKILL, but a power cut could then drop the last
 * acknowledged commits: a container that {@code berth create} reported, whose storage exists, would
 * vanish from the state and leak. libpod also runs its SQLite state with FULL. The cost is one
 * fdatasync per write (see bench/state/README.md for figures); containers are written a few times
 * per lifecycle step, not in hot loops.
 *
 * <h2>Damage</h2>
 * A file that is not a database or is truncated is refused before SQLite touches it
 * ({@link SqliteFiles}); SQLITE_CORRUPT or SQLITE_NOTADB later becomes STATE_CORRUPT naming the file.
 * When the files are not as a berth process left them, PRAGMA quick_check runs first
 * ({@link SqliteIntegrity}); a damaged database is then read but never written to, with a warning.
 * A container whose JSON does not decode is reported through the warning sink and skipped by
 * {@link #allContainers}, and is STATE_CORRUPT when asked for by itself. A database of a newer schema
 * version, another application's database, or one created with other paths (DbConfig) is refused
 * before anything is written.
 */
final class SqliteStateStore implements StateStore {
    private final Path path;
    private final Connection conn;
    private final Consumer<String> warnings;
    private final Options options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private DbConfig dbConfig;
    private boolean closed;
    /** What quick_check found at open; writes are refused while it is set. */
    private String damage;

    /** Settings from the {@code sqlite.*} store options. */
    record Options(String synchronous, int busyTimeoutMillis, int busyRetries) {
        static final String PREFIX = "sqlite.";

        static Options parse(Map<String, String> all) {
            String sync = "FULL";
            int timeout = 5_000;
            int retries = 8;
            for (Map.Entry<String, String> e : all.entrySet()) {
                if (!e.getKey().startsWith(PREFIX)) {
                    continue; // another backend's option
                }
                String k = e.getKey().substring(PREFIX.length());
                String v = e.getValue().trim();
                switch (k) {
                    case "synchronous":
                        sync = v.toUpperCase(Locale.ROOT);
                        if (!List.of("NORMAL", "FULL", "EXTRA").contains(sync)) {
                            throw bad(e, "NORMAL, FULL or EXTRA");
                        }
                        break;
                    case "busy_timeout_ms":
                        timeout = number(e, 0, 600_000);
                        break;
                    case "busy_retries":
                        retries = number(e, 0, 100);
                        break;
                    default:
                        throw new BerthException(ErrorCode.CONFIG_INVALID, "unknown state store option \"" + e.getKey()
                                + "\": the sqlite backend knows sqlite.synchronous, sqlite.busy_timeout_ms, sqlite.busy_retries");
                }
            }
            return new Options(sync, timeout, retries);
        }

        private static int number(Map.Entry<String, String> e, int min, int max) {
            try {
                int n = Integer.parseInt(e.getValue().trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw bad(e, "a number from " + min + " to " + max);
        }

        private static BerthException bad(Map.Entry<String, String> e, String want) {
            return new BerthException(ErrorCode.CONFIG_INVALID, "state store option " + e.getKey() + "=\"" + e.getValue()
                    + "\" is invalid: expected " + want);
        }
    }

    private SqliteStateStore(Path path, Connection conn, Consumer<String> warnings, Options options) {
        this.path = path;
        this.conn = conn;
        this.warnings = warnings;
        this.options = options;
    }

    static SqliteStateStore open(StateStoreConfig config) {
        return open(config, SqliteSchema.CURRENT);
    }

    /** Opens the store, creating or migrating the schema up to {@code targetVersion} (tests make old databases with it). */
    static SqliteStateStore open(StateStoreConfig config, int targetVersion) {
        Options options = Options.parse(config.options());
        Path dir = config.staticDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create the static directory " + dir + ": " + e, e);
        }
        Path db = dir.resolve(SqliteFiles.FILE_NAME);
        SqliteFiles.check(db);
        boolean verify = SqliteIntegrity.hasContent(db) && !SqliteIntegrity.unchangedSinceLastClose(db);
        NativeLibraryCache.prepare();
        Connection conn;
        try {
            conn = connect(db, options);
        } catch (SQLException e) {
            throw translate(db, "open", e, 1, 0);
        }
        SqliteStateStore store = new SqliteStateStore(db, conn, config.warnings(), options);
        // the files as they are before the check (the open may have made the WAL): stamped after it when
        // it finds them sound and nothing wrote meanwhile, so that the opens after this one (read-only
        // commands too) need no check
        Optional<String> checked = verify ? SqliteIntegrity.currentStamp(db) : Optional.empty();
        try {
            if (verify && store.verify()) {
                checked.ifPresent(stamp -> SqliteIntegrity.recordVerified(db, stamp));
            }
            store.initialize(config.engineConfig(), targetVersion);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * PRAGMA quick_check, when the files are not as a berth left them ({@link SqliteIntegrity}). A
     * damaged database stays readable (what SQLite can still read) and refuses every write, which
     * could lose rows in the damaged tree; the warning says what quick_check found.
     */
    private boolean verify() {
        Trace.mark("sqlite: quick_check (the files changed since berth last stamped them)");
        Optional<List<String>> problems = read("check the database (PRAGMA quick_check)", () -> SqliteIntegrity.quickCheck(conn));
        Trace.mark("sqlite: quick_check done");
        if (problems.isPresent()) {
            damage = "state database " + path + " is damaged: PRAGMA quick_check reports " + String.join("; ", problems.get())
                    + "; berth reads what it can from it but writes nothing, so that no record is lost: copy it aside, then restore"
                    + " it from a backup or recover its records into a new file (sqlite3 " + path + " .recover)";
            warnings.accept(damage);
            SqliteIntegrity.forget(path);
            return false;
        }
        return true;
    }

    private static Connection connect(Path db, Options options) throws SQLException {
        SQLiteConfig c = new SQLiteConfig();
        c.setBusyTimeout(options.busyTimeoutMillis());
        c.enforceForeignKeys(true);
        // No DriverManager: it would scan the module path for every JDBC driver first.
        Connection conn = new JDBC4Connection("jdbc:sqlite:" + db, db.toString(), c.toProperties());
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA synchronous = " + options.synchronous());
            // Replaces busy_timeout's handler, keeping its deadline (see PollingBusyHandler).
            org.sqlite.BusyHandler.setHandler(conn, new PollingBusyHandler(options.busyTimeoutMillis()));
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return conn;
    }

    private void initialize(DbConfig engineConfig, int targetVersion) {
        // Look before writing anything: a newer, foreign or mismatched database is left untouched.
        Look look = read("read the schema version", this::look);
        int version = look.version();
        checkKnown(version, look.tables());
        DbConfig stored = version >= 1 ? read("read the database configuration", this::storedDbConfig) : null;
        if (engineConfig != null && stored != null) {
            engineConfig.checkMatches(stored, path.toString());
        }
        String mode = read("switch to WAL journaling", () -> {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
        if (!"wal".equalsIgnoreCase(mode)) {
            warnings.accept("state database " + path + " cannot use WAL journaling (journal mode is " + mode
                    + "); readers will wait for writers");
        }
        if (version < targetVersion || (stored == null && engineConfig != null)) {
            stored = write("initialize the schema", () -> {
                Look now = look();
                int v = now.version();
                checkKnown(v, now.tables());
                if (v < targetVersion) {
                    SqliteSchema.migrate(conn, v, targetVersion);
                }
                DbConfig s = storedDbConfig();
                if (s == null && engineConfig != null) {
                    PreparedStatement ps = stmt("INSERT INTO DBConfig(ID, OS, StaticDir, TmpDir, GraphRoot, RunRoot, VolumeDir)"
                            + " VALUES (1, ?, ?, ?, ?, ?, ?)");
                    ps.setString(1, System.getProperty("os.name", "").toLowerCase(Locale.ROOT));
                    ps.setString(2, engineConfig.staticDir());
                    ps.setString(3, engineConfig.tmpDir());
                    ps.setString(4, engineConfig.graphRoot());
                    ps.setString(5, engineConfig.runRoot());
                    ps.setString(6, engineConfig.volumePath());
                    ps.executeUpdate();
                    s = engineConfig;
                } else if (s != null && engineConfig != null) {
                    engineConfig.checkMatches(s, path.toString());
                }
                return s;
            });
        }
        dbConfig = stored != null ? stored : engineConfig;
    }

    /** Refuses a database of a newer schema, or (at version 0) one that holds another application's tables. */
    private void checkKnown(int version, List<String> tables) {
        if (version > SqliteSchema.CURRENT) {
            throw new BerthException(ErrorCode.STATE_CONFIG_MISMATCH, "state database " + path + " has schema version "
                    + version + ", newer than the newest this berth knows (" + SqliteSchema.CURRENT
                    + "); it was written by a newer berth: use that, the file was left as it is");
        }
        if (version == 0 && !tables.isEmpty()) {
            throw SqliteFiles.corrupt(path, "is an SQLite database but not a berth state database (it holds "
                    + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
                    + (tables.size() > 5 ? ", ..." : "") + ")");
        }
    }

    /** The schema version and the names of the tables, indexes... in it, read in one statement: one snapshot. */
    private record Look(int version, List<String> tables) {
    }

    private Look look() throws SQLException {
        // Two statements could straddle another process's schema creation: version 0, yet tables.
        List<String> tables = new ArrayList<>();
        int version = 0;
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT user_version FROM pragma_user_version), m.name"
                     + " FROM (SELECT 1) LEFT JOIN sqlite_master m ON m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name")) {
            while (rs.next()) {
                version = rs.getInt(1);
                String name = rs.getString(2);
                if (name != null) {
                    tables.add(name);
                }
            }
        }
        return new Look(version, tables);
    }

    private DbConfig storedDbConfig() throws SQLException {
        PreparedStatement ps = stmt("SELECT StaticDir, TmpDir, GraphRoot, RunRoot, VolumeDir FROM DBConfig WHERE ID = 1");
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new DbConfig(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
        }
    }

    @Override
    public String backend() {
        return "sqlite";
    }

    @Override
    public DbConfig dbConfig() {
        return dbConfig;
    }

    /** The database file. */
    Path path() {
        return path;
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void addContainer(Container c) {
        checkIdentity(c);
        write("add container " + c.id(), () -> {
            insert(c);
            return null;
        });
    }

    /** Adds several containers in one transaction: all or none. */
    void addContainers(List<Container> cs) {
        cs.forEach(SqliteStateStore::checkIdentity);
        write("add " + cs.size() + " containers", () -> {
            for (Container c : cs) {
                insert(c);
            }
            return null;
        });
    }

    private void insert(Container c) throws SQLException {
        String id = c.id();
        String owner = queryString("SELECT Name FROM IDNamespace WHERE ID = ?", id);
        if (owner != null) {
            throw new BerthException(ErrorCode.CONTAINER_EXISTS, "container with ID " + id + " already exists (named \"" + owner + "\")");
        }
        String nameOwner = queryString("SELECT ID FROM IDNamespace WHERE Name = ?", c.name());
        if (nameOwner != null) {
            throw nameInUse(c.name(), nameOwner);
        }
        String[] json = columns(c);
        update("INSERT INTO IDNamespace(ID, Name, Kind) VALUES (?, ?, 'container')", id, c.name());
        update("INSERT INTO ContainerConfig(ID, Name, JSON) VALUES (?, ?, ?)", id, c.name(), json[0]);
        PreparedStatement ps = stmt("INSERT INTO ContainerState(ID, Status, ExitCode, JSON) VALUES (?, ?, ?, ?)");
        ps.setString(1, id);
        ps.setString(2, c.state().status().internalName());
        ps.setInt(3, c.state().exitCode());
        ps.setString(4, json[1]);
        ps.executeUpdate();
        insertExecSessions(c);
        insertDependencies(c);
    }

    @Override
    public void saveContainer(Container c) {
        checkIdentity(c);
        write("save container " + c.id(), () -> {
            String id = c.id();
            String oldName = queryString("SELECT Name FROM ContainerConfig WHERE ID = ?", id);
            if (oldName == null) {
                throw noSuchId(id);
            }
            if (!oldName.equals(c.name())) {
                String nameOwner = queryString("SELECT ID FROM IDNamespace WHERE Name = ?", c.name());
                if (nameOwner != null) {
                    throw nameInUse(c.name(), nameOwner);
                }
                update("UPDATE IDNamespace SET Name = ? WHERE ID = ?", c.name(), id);
            }
            String[] json = columns(c);
            update("UPDATE ContainerConfig SET Name = ?, JSON = ? WHERE ID = ?", c.name(), json[0], id);
            PreparedStatement ps = stmt("UPDATE ContainerState SET Status = ?, ExitCode = ?, JSON = ? WHERE ID = ?");
            ps.setString(1, c.state().status().internalName());
            ps.setInt(2, c.state().exitCode());
            ps.setString(3, json[1]);
            ps.setString(4, id);
            ps.executeUpdate();
            update("DELETE FROM ContainerExecSession WHERE ContainerID = ?", id);
            insertExecSessions(c);
            update("DELETE FROM ContainerDependency WHERE ID = ?", id);
            insertDependencies(c);
            return null;
        });
    }

    /**
     * The two JSON columns: the "config" and "state" halves of {@link Container#toJson()}, the record
     * every backend stores; {@link #decode} puts them back together for {@link Container#fromJson}.
     */
    private static String[] columns(Container c) {
        Map<?, ?> doc = (Map<?, ?>) c.toJson();
        return new String[] {Json.write(doc.get("config")), Json.write(doc.get("state"))};
    }

    private void insertExecSessions(Container c) throws SQLException {
        for (ExecSession e : c.state().execSessions().values()) {
            String holder = queryString("SELECT ContainerID FROM ContainerExecSession WHERE ID = ?", e.id());
            if (holder != null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "exec session " + e.id() + " of container " + c.id()
                        + " already belongs to container " + holder);
            }
            update("INSERT INTO ContainerExecSession(ID, ContainerID) VALUES (?, ?)", e.id(), c.id());
        }
    }

    private void insertDependencies(Container c) throws SQLException {
        for (String dep : new java.util.LinkedHashSet<>(c.config().dependencies())) {
            if (dep.equals(c.id())) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.id() + " cannot depend on itself");
            }
            if (queryString("SELECT ID FROM ContainerConfig WHERE ID = ?", dep) == null) {
                throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "container " + c.id() + " depends on container " + dep
                        + ", which is not in the state database " + path);
            }
            update("INSERT INTO ContainerDependency(ID, DependencyID) VALUES (?, ?)", c.id(), dep);
        }
    }

    @Override
    public void removeContainer(String id) {
        write("remove container " + id, () -> {
            if (id == null || queryString("SELECT ID FROM ContainerConfig WHERE ID = ?", id) == null) {
                throw noSuchId(id);
            }
            List<String> dependents = queryStrings("SELECT ID FROM ContainerDependency WHERE DependencyID = ? ORDER BY ID", id);
            if (!dependents.isEmpty()) {
                throw new BerthException(ErrorCode.DEPENDENCY_EXISTS, "container " + id
                        + " is a dependency of the following containers: " + String.join(", ", dependents));
            }
            update("DELETE FROM ContainerExecSession WHERE ContainerID = ?", id);
            update("DELETE FROM ContainerDependency WHERE ID = ?", id);
            update("DELETE FROM ContainerState WHERE ID = ?", id);
            update("DELETE FROM ContainerConfig WHERE ID = ?", id);
            update("DELETE FROM IDNamespace WHERE ID = ?", id);
            return null;
        });
    }

    private static void checkIdentity(Container c) {
        if (c.id() == null || c.id().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container has no ID");
        }
        if (c.name() == null || c.name().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.id() + " has no name");
        }
    }

    private static BerthException nameInUse(String name, String owner) {
        return new BerthException(ErrorCode.NAME_IN_USE, "the container name \"" + name + "\" is already in use by "
                + owner + "; remove that container or choose another name");
    }

    private static BerthException noSuchId(String id) {
        return new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with ID " + id + " found in database");
    }

    // ------------------------------------------------------------------ reads

    private static final String SELECT_RECORD = "SELECT c.ID, c.JSON, s.JSON FROM ContainerConfig c JOIN ContainerState s ON s.ID = c.ID";

    @Override
    public Container container(String id) {
        if (id == null || id.isEmpty()) {
            throw noSuchId(id);
        }
        Container c = read("read container " + id, () -> record(SELECT_RECORD + " WHERE c.ID = ?", id));
        if (c == null) {
            throw noSuchId(id);
        }
        return c;
    }

    @Override
    public boolean hasContainer(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        return read("look up container " + id, () -> queryString("SELECT ID FROM ContainerConfig WHERE ID = ?", id) != null);
    }

    @Override
    public Container lookupContainer(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with name or ID \"" + idOrName + "\" found");
        }
        Container c = read("look up container " + idOrName, () -> {
            Container byName = record(SELECT_RECORD + " WHERE c.Name = ?", idOrName);
            if (byName != null) {
                return byName;
            }
            Container byId = record(SELECT_RECORD + " WHERE c.ID = ?", idOrName);
            if (byId != null) {
                return byId;
            }
            List<String> matches = prefixMatches(idOrName);
            if (matches.size() > 1) {
                throw new BerthException(ErrorCode.AMBIGUOUS_ID, "more than one result for container ID prefix \""
                        + idOrName + "\": give more of the ID");
            }
            return matches.isEmpty() ? null : record(SELECT_RECORD + " WHERE c.ID = ?", matches.get(0));
        });
        if (c == null) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with name or ID \"" + idOrName + "\" found");
        }
        return c;
    }

    /** Up to two IDs starting with {@code prefix}, by an index range scan. */
    private List<String> prefixMatches(String prefix) throws SQLException {
        char last = prefix.charAt(prefix.length() - 1);
        if (last == Character.MAX_VALUE) {
            return queryStrings("SELECT ID FROM ContainerConfig WHERE substr(ID, 1, length(?1)) = ?1 LIMIT 2", prefix);
        }
        String upper = prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
        return queryStrings("SELECT ID FROM ContainerConfig WHERE ID >= ? AND ID < ? LIMIT 2", prefix, upper);
    }

    @Override
    public List<Container> allContainers() {
        List<Container> out = read("list containers", () -> {
            List<Container> cs = new ArrayList<>();
            PreparedStatement ps = stmt(SELECT_RECORD);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        cs.add(decode(rs.getString(1), rs.getString(2), rs.getString(3)));
                    } catch (BerthException e) {
                        warnings.accept(e.getMessage());
                    }
                }
            }
            return cs;
        });
        // Newest first, as the file backend lists them (what ps shows).
        out.sort((a, b) -> {
            java.time.Instant x = a.config().createdAt();
            java.time.Instant y = b.config().createdAt();
            int c = x == null || y == null ? (x == y ? 0 : x == null ? 1 : -1) : y.compareTo(x);
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        return out;
    }

    @Override
    public List<String> dependents(String id) {
        return read("find the dependents of " + id,
                () -> queryStrings("SELECT ID FROM ContainerDependency WHERE DependencyID = ? ORDER BY ID", id));
    }

    private Container record(String sql, String arg) throws SQLException {
        PreparedStatement ps = stmt(sql);
        ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? decode(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
        }
    }

    private Container decode(String id, String configJson, String stateJson) {
        try {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("config", Json.parseObject(configJson).asMap());
            doc.put("state", Json.parseObject(stateJson).asMap());
            Container c = Container.fromJson(new JsonObject(doc));
            if (!id.equals(c.id())) {
                throw new IllegalArgumentException("the record holds ID " + c.id());
            }
            if (c.name() == null || c.name().isEmpty()) {
                throw new IllegalArgumentException("the record holds no name"); // callers sort and match by it
            }
            return c;
        } catch (IOException | RuntimeException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "the record of container " + id + " in state database "
                    + path + " is corrupt (" + e.getMessage() + "); other containers are unaffected");
        }
    }

    // ------------------------------------------------------------------ volumes

    private static BerthException noSuchVolume(String name) {
        return new BerthException(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + name + "\" found");
    }

    @Override
    public void addVolume(berth.kernel.model.Volume v) {
        if (v.name() == null || v.name().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "volume has no name");
        }
        write("add volume " + v.name(), () -> {
            if (queryString("SELECT Name FROM VolumeConfig WHERE Name = ?", v.name()) != null) {
                throw new BerthException(ErrorCode.VOLUME_EXISTS, "volume with name " + v.name() + " already exists");
            }
            update("INSERT INTO VolumeConfig(Name, JSON, StateJSON) VALUES (?, ?, ?)", v.name(), Json.write(v.toJson()),
                    Json.write(v.stateJson()));
            return null;
        });
    }

    @Override
    public void saveVolume(berth.kernel.model.Volume v) {
        write("save volume " + v.name(), () -> {
            if (update("UPDATE VolumeConfig SET JSON = ?, StateJSON = ? WHERE Name = ?", Json.write(v.toJson()),
                    Json.write(v.stateJson()), v.name()) == 0) {
                throw noSuchVolume(v.name());
            }
            return null;
        });
    }

    @Override
    public void removeVolume(String name) {
        write("remove volume " + name, () -> {
            if (name == null || update("DELETE FROM VolumeConfig WHERE Name = ?", name) == 0) {
                throw noSuchVolume(name);
            }
            return null;
        });
    }

    @Override
    public berth.kernel.model.Volume volume(String name) {
        if (name == null || name.isEmpty()) {
            throw noSuchVolume(name);
        }
        berth.kernel.model.Volume v = read("read volume " + name, () -> {
            PreparedStatement ps = stmt("SELECT Name, JSON, StateJSON FROM VolumeConfig WHERE Name = ?");
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? decodeVolume(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        });
        if (v == null) {
            throw noSuchVolume(name);
        }
        return v;
    }

    @Override
    public List<berth.kernel.model.Volume> allVolumes() {
        return read("list volumes", () -> {
            List<berth.kernel.model.Volume> out = new ArrayList<>();
            PreparedStatement ps = stmt("SELECT Name, JSON, StateJSON FROM VolumeConfig ORDER BY Name");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(decodeVolume(rs.getString(1), rs.getString(2), rs.getString(3)));
                    } catch (BerthException e) {
                        warnings.accept(e.getMessage());
                    }
                }
            }
            return out;
        });
    }

    private berth.kernel.model.Volume decodeVolume(String name, String config, String state) {
        try {
            berth.kernel.model.Volume v = berth.kernel.model.Volume.fromJson(Json.parseObject(config), Json.parseObject(state));
            if (!name.equals(v.name())) {
                throw new IllegalArgumentException("the record names volume " + v.name());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "the record of volume " + name + " in state database "
                    + path + " is corrupt (" + e.getMessage() + "); other volumes are unaffected");
        }
    }

    // ------------------------------------------------------------------ SQL plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        return transact(what, false, work);
    }

    private <T> T write(String what, Work<T> work) {
        return transact(what, true, work);
    }

    /**
     * Runs {@code work}, inside BEGIN IMMEDIATE ... COMMIT when it writes, retrying the whole of it
     * while SQLite answers busy or locked (up to {@code busy_retries} times).
     */
    private <T> T transact(String what, boolean write, Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new BerthException(ErrorCode.INTERNAL, "state database " + path + " is closed; cannot " + what);
            }
            if (write && damage != null) {
                throw new BerthException(ErrorCode.STATE_CORRUPT, "cannot " + what + ": " + damage);
            }
            long start = System.nanoTime();
            for (int attempt = 1; ; attempt++) {
                boolean inTx = false;
                try {
                    if (write) {
                        exec("BEGIN IMMEDIATE");
                        inTx = true;
                    }
                    T result = work.run();
                    if (write) {
                        exec("COMMIT");
                        inTx = false;
                        if (damage == null) {
                            // the CLI ends by halt, without closing the store: each commit leaves the stamp
                            SqliteIntegrity.recordClose(path);
                        }
                    }
                    return result;
                } catch (SQLException e) {
                    if (inTx) {
                        rollback();
                    }
                    if (isBusy(e) && attempt <= options.busyRetries()) {
                        backoff(attempt, what);
                        continue;
                    }
                    BerthException failure = translate(path, what, e, attempt, System.nanoTime() - start);
                    if (failure.code() == ErrorCode.STATE_CORRUPT && damage == null) {
                        damage = failure.getMessage(); // no write from now on, and no stamp at close: the next open checks
                    }
                    throw failure;
                } catch (RuntimeException | Error e) {
                    if (inTx) {
                        rollback();
                    }
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean isBusy(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        if (code == 5 || code == 6) { // SQLITE_BUSY, SQLITE_LOCKED
            return true;
        }
        String m = String.valueOf(e.getMessage());
        return m.contains("[SQLITE_BUSY") || m.contains("[SQLITE_LOCKED") || m.contains("database is locked");
    }

    private void backoff(int attempt, String what) {
        long cap = Math.min(250, 5L << Math.min(attempt - 1, 10));
        long millis = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.TIMEOUT, "interrupted while waiting for state database " + path + " to " + what);
        }
    }

    private static BerthException translate(Path path, String what, SQLException e, int attempts, long nanos) {
        int code = e.getErrorCode() & 0xff;
        String cause = e.getMessage();
        if (isBusy(e)) {
            return new BerthException(ErrorCode.TIMEOUT, String.format(Locale.ROOT,
                    "state database %s stayed locked by another process: could not %s after %d attempts in %.1f s;"
                            + " is another berth process hung?", path, what, attempts, nanos / 1e9), e);
        }
        if (code == 11 || code == 26) { // SQLITE_CORRUPT, SQLITE_NOTADB
            return new BerthException(ErrorCode.STATE_CORRUPT, "state database " + path + " is damaged (" + cause
                    + "); the file was left as it is: move it aside to start with an empty state, or restore it from a backup", e);
        }
        return new BerthException(ErrorCode.INTERNAL, "state database " + path + ": cannot " + what + ": " + cause, e);
    }

    private void rollback() {
        try {
            exec("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction is active any more (SQLite rolled it back itself): nothing to undo
        }
    }

    private void exec(String sql) throws SQLException {
        stmt(sql).execute();
    }

    private PreparedStatement stmt(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private int update(String sql, String... args) throws SQLException {
        PreparedStatement ps = stmt(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
        }
        return ps.executeUpdate();
    }

    private String queryString(String sql, String... args) throws SQLException {
        List<String> l = queryStrings(sql, args);
        return l.isEmpty() ? null : l.get(0);
    }

    private List<String> queryStrings(String sql, String... args) throws SQLException {
        PreparedStatement ps = stmt(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
        }
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** A PRAGMA's value, for tests and diagnostics. */
    String pragma(String name) {
        return read("read PRAGMA " + name, () -> {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing the connection frees it anyway
                }
            }
            statements.clear();
            try {
                conn.close();
                if (damage == null) {
                    SqliteIntegrity.recordClose(path);
                }
            } catch (SQLException e) {
                warnings.accept("closing state database " + path + ": " + e.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }
}
