package berth.state.file;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.support.AtomicFiles;
import berth.support.FileLocks;
import berth.support.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The file backend. Layout under {@code STATIC_DIR/file-state}:
 * <pre>
 *   containers/ID.json   one record per container (config + state)
 *   names/NAME           the ID owning NAME; the directory is the name index
 *   volumes/NAME.json    one record per named volume (libpod's config and state)
 *   dbconfig.json        the paths the store was created with
 *   lock                 flock'ed by every writer
 * </pre>
 * Writes go to a temp file, are fsync'ed and renamed over the target: a reader sees the old or the
 * new record, never a torn one. Adds and removals also sync the directory, so they survive a power
 * loss once acknowledged; an update survives a crash of berth, and after a power loss reads back as
 * the new or the previous version (see {@link #saveContainer}). Readers take no lock. The
 * container directory listing is the ID-prefix index.
 */
final class FileStateStore implements StateStore {
    private final Path root;
    private final Path containers;
    private final Path names;
    private final Path lockFile;
    private final DbConfig dbConfig;
    private final Consumer<String> warnings;

    private FileStateStore(Path root, DbConfig dbConfig, Consumer<String> warnings) {
        this.root = root;
        this.containers = root.resolve("containers");
        this.names = root.resolve("names");
        this.lockFile = root.resolve("lock");
        this.dbConfig = dbConfig;
        this.warnings = warnings;
    }

    static FileStateStore open(StateStoreConfig config) {
        Path root = config.staticDir().resolve("file-state");
        try {
            Files.createDirectories(root.resolve("containers"));
            Files.createDirectories(root.resolve("names"));
            Files.createDirectories(root.resolve("volumes"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create state directory " + root + ": " + e.getMessage(), e);
        }
        berth.kernel.trace.Trace.mark("file store: directories");
        Path dbFile = root.resolve("dbconfig.json");
        DbConfig stored = null;
        if (Files.exists(dbFile)) {
            try {
                byte[] raw = Files.readAllBytes(dbFile);
                berth.kernel.trace.Trace.mark("file store: db config read");
                stored = DbConfig.fromJson(Json.parseObject(raw));
                berth.kernel.trace.Trace.mark("file store: db config parsed");
            } catch (IOException e) {
                throw new BerthException(ErrorCode.STATE_CORRUPT, "state database configuration " + dbFile + " is unreadable: " + e.getMessage(), e);
            }
            if (config.engineConfig() != null) {
                config.engineConfig().checkMatches(stored, dbFile.toString());
            }
        }
        berth.kernel.trace.Trace.mark("file store: db config checked");
        FileStateStore store = new FileStateStore(root, stored != null ? stored : config.engineConfig(), config.warnings());
        if (stored == null && config.engineConfig() != null) {
            store.locked(() -> {
                if (!Files.exists(dbFile)) {
                    AtomicFiles.write(dbFile, Json.writeBytes(config.engineConfig().toJson()));
                }
                return null;
            });
        }
        return store;
    }

    @Override
    public String backend() {
        return "file";
    }

    @Override
    public DbConfig dbConfig() {
        return dbConfig;
    }

    private Path recordPath(String id) {
        return containers.resolve(id + ".json");
    }

    private Path namePath(String name) {
        return names.resolve(name);
    }

    @Override
    public void addContainer(Container c) {
        Names.requireFileSafe("container name", c.name());
        byte[] bytes = Json.writeBytes(c.toJson());
        Path np = namePath(c.name());
        // Both files are written and synced before the store's lock is taken, and both directories are
        // synced after it is released: the lock covers only the checks and the renames, so concurrent
        // writers wait for each other's renames, not for each other's fsyncs. The add returns durable.
        try (AtomicFiles.Staged stagedName = AtomicFiles.stage(np, c.id().getBytes(StandardCharsets.UTF_8));
             AtomicFiles.Staged stagedRecord = AtomicFiles.stage(recordPath(c.id()), bytes)) {
            locked(() -> {
                if (Files.exists(recordPath(c.id()))) {
                    throw new BerthException(ErrorCode.CONTAINER_EXISTS, "container with ID " + c.id() + " already exists");
                }
                if (Files.exists(np)) {
                    String owner = readString(np);
                    if (owner != null && Files.exists(recordPath(owner))) {
                        throw new BerthException(ErrorCode.NAME_IN_USE, "the container name \"" + c.name()
                                + "\" is already in use by " + owner + "; remove that container or choose another name");
                    }
                    // A name left by a crash between the two writes of an add or remove: reclaim it.
                }
                stagedName.commit(); // the name first: a name without a record is reclaimed (above)
                stagedRecord.commit();
                return null;
            });
        }
        AtomicFiles.syncDirectory(names);
        AtomicFiles.syncDirectory(containers);
        cache.put(recordPath(c.id()), new Cached(bytes, c));
    }

    @Override
    public void saveContainer(Container c) {
        byte[] bytes = Json.writeBytes(c.toJson());
        // The new bytes are synced before the rename (and before the lock: it covers the check and the
        // rename only), so after a power loss the file holds either the old or the new version, both
        // whole. Whether the rename itself survived is not worth a directory sync (about 0.3 ms) on
        // every state change: a record that comes back one version old after a reboot is one that
        // refresh resets anyway.
        try (AtomicFiles.Staged staged = AtomicFiles.stage(recordPath(c.id()), bytes)) {
            locked(() -> {
                if (!Files.exists(recordPath(c.id()))) {
                    throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with ID " + c.id() + " found in database");
                }
                staged.commit();
                return null;
            });
        }
        cache.put(recordPath(c.id()), new Cached(bytes, c));
    }

    @Override
    public void removeContainer(String id) {
        locked(() -> {
            Path rp = recordPath(id);
            if (!Files.exists(rp)) {
                throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with ID " + id + " found in database");
            }
            String name = null;
            try {
                name = readRecord(rp).name();
            } catch (BerthException e) {
                warnings.accept(e.getMessage());
            }
            try {
                cache.remove(rp);
                Files.delete(rp);
                if (name != null && id.equals(readString(namePath(name)))) {
                    Files.deleteIfExists(namePath(name));
                }
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot remove container " + id + " from " + root + ": " + e.getMessage(), e);
            }
            return null;
        });
        AtomicFiles.syncDirectory(containers); // after the lock: it covers the deletes, not the fsync
    }

    @Override
    public Container container(String id) {
        Path rp = recordPath(id);
        if (id.isEmpty() || id.contains("/") || !Files.exists(rp)) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with ID " + id + " found in database");
        }
        return readRecord(rp);
    }

    @Override
    public boolean hasContainer(String id) {
        return !id.isEmpty() && !id.contains("/") && Files.exists(recordPath(id));
    }

    @Override
    public Container lookupContainer(String idOrName) {
        if (idOrName == null || idOrName.isEmpty() || idOrName.contains("/")) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with name or ID \"" + idOrName + "\" found");
        }
        String owner = readString(namePath(idOrName));
        if (owner != null && Files.exists(recordPath(owner))) {
            return container(owner);
        }
        if (Files.exists(recordPath(idOrName))) {
            return container(idOrName);
        }
        List<String> matches = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(containers, idOrName + "*.json")) {
            for (Path p : ds) {
                matches.add(idOf(p));
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot list " + containers + ": " + e.getMessage(), e);
        }
        if (matches.isEmpty()) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with name or ID \"" + idOrName + "\" found");
        }
        if (matches.size() > 1) {
            throw new BerthException(ErrorCode.AMBIGUOUS_ID, "more than one result for container ID prefix \"" + idOrName
                    + "\": " + matches.size() + " containers match");
        }
        return container(matches.get(0));
    }

    @Override
    public List<Container> allContainers() {
        List<Container> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(containers, FileStateStore::isRecord)) {
            for (Path p : ds) {
                try {
                    out.add(readRecord(p));
                } catch (BerthException e) {
                    if (e.code() != ErrorCode.NO_SUCH_CONTAINER) {
                        warnings.accept(e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot list " + containers + ": " + e.getMessage(), e);
        }
        out.sort((a, b) -> {
            int c = compareNullable(b.config().createdAt(), a.config().createdAt());
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        return out;
    }

    private static int compareNullable(java.time.Instant a, java.time.Instant b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static String idOf(Path p) {
        String f = p.getFileName().toString();
        return f.substring(0, f.length() - ".json".length());
    }

    /**
     * Records this process has read or written, with the exact bytes they were parsed from: a command
     * that reads one container several times reads the small file each time (so another process's
     * write is never missed) but parses it once.
     */
    private record Cached(byte[] bytes, Container container) {
    }

    private final java.util.concurrent.ConcurrentHashMap<Path, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private Container readRecord(Path p) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no container with ID " + idOf(p) + " found in database");
        } catch (IOException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "cannot read container record " + p + ": " + e.getMessage(), e);
        }
        Cached known = cache.get(p);
        if (known != null && java.util.Arrays.equals(known.bytes(), bytes)) {
            return known.container();
        }
        try {
            Container c = Container.fromJson(Json.parseObject(bytes));
            cache.put(p, new Cached(bytes, c));
            return c;
        } catch (IOException | RuntimeException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "container record " + p + " is corrupt (" + e.getMessage()
                    + "); other containers are unaffected");
        }
    }

    private static String readString(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- volumes

    private Path volumePath(String name) {
        return root.resolve("volumes").resolve(name + ".json");
    }

    private static BerthException noSuchVolume(String name) {
        return new BerthException(ErrorCode.NO_SUCH_VOLUME, "no volume with name \"" + name + "\" found");
    }

    @Override
    public void addVolume(berth.kernel.model.Volume v) {
        Names.requireFileSafe("volume name", v.name());
        locked(() -> {
            if (Files.exists(volumePath(v.name()))) {
                throw new BerthException(ErrorCode.VOLUME_EXISTS, "volume with name " + v.name() + " already exists");
            }
            AtomicFiles.write(volumePath(v.name()), Json.writeBytes(v.recordJson()));
            return null;
        });
    }

    @Override
    public void saveVolume(berth.kernel.model.Volume v) {
        locked(() -> {
            if (!validName(v.name()) || !Files.exists(volumePath(v.name()))) {
                throw noSuchVolume(v.name());
            }
            AtomicFiles.write(volumePath(v.name()), Json.writeBytes(v.recordJson()));
            return null;
        });
    }

    @Override
    public void removeVolume(String name) {
        locked(() -> {
            try {
                if (!validName(name) || !Files.deleteIfExists(volumePath(name))) {
                    throw noSuchVolume(name);
                }
                AtomicFiles.syncDirectory(root.resolve("volumes"));
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot remove volume " + name + " from " + root + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public berth.kernel.model.Volume volume(String name) {
        if (!validName(name)) {
            throw noSuchVolume(name);
        }
        return readVolume(volumePath(name), name);
    }

    @Override
    public List<berth.kernel.model.Volume> allVolumes() {
        List<berth.kernel.model.Volume> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("volumes"), FileStateStore::isRecord)) {
            for (Path p : ds) {
                try {
                    out.add(readVolume(p, idOf(p)));
                } catch (BerthException e) {
                    if (e.code() != ErrorCode.NO_SUCH_VOLUME) {
                        warnings.accept(e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot list " + root.resolve("volumes") + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(berth.kernel.model.Volume::name));
        return out;
    }

    /**
     * A record file: what the glob {@code *.json} matches, tested without the glob's regular expression
     * (matched against each of 1,000 names in a cold JVM, it was a few ms of {@code volume ls}).
     */
    private static boolean isRecord(Path p) {
        return p.getFileName().toString().endsWith(".json");
    }

    private static boolean validName(String name) {
        return name != null && !name.isEmpty() && !name.contains("/") && !name.startsWith(".");
    }

    private berth.kernel.model.Volume readVolume(Path p, String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw noSuchVolume(name);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "cannot read volume record " + p + ": " + e.getMessage(), e);
        }
        try {
            berth.kernel.model.Volume v = berth.kernel.model.Volume.fromRecordJson(Json.parseObject(bytes));
            if (!v.name().equals(name)) {
                throw new IllegalArgumentException("the record names volume " + v.name());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "volume record " + p + " is corrupt (" + e.getMessage()
                    + "); other volumes are unaffected");
        }
    }

    /** Every writer holds the store's lock file; readers take no lock. */
    private <T> T locked(Supplier<T> action) {
        return FileLocks.withLock(lockFile, action);
    }

    @Override
    public void close() {
        // nothing held between calls
    }
}
