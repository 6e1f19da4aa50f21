package berth.bolt.db;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.bolt.nativeio.FileLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A bbolt database file, read and written in pure Java in bbolt's on-disk format (version 2), so
 * that Go programs using go.etcd.io/bbolt (podman 4's libpod state among them) and berth can share
 * one file.
 *
 * <p>Like bbolt, an open handle holds a flock(2) on the file for its whole life: exclusive when
 * writable, shared when read-only; within this JVM a read-write lock per file path orders the
 * handles of different threads. On one handle any number of read transactions run alongside the one
 * write transaction. A write transaction never overwrites a page that the last committed meta page
 * (or an open reader) can reach: it writes the changed pages to free space, fsyncs, then writes the
 * meta page of the new transaction into the slot of the older of the two metas, and fsyncs again.
 * A crash at any point leaves the last committed transaction readable; a torn meta page fails its
 * checksum and the other one is used.
 */
public final class BoltDb implements AutoCloseable {
    /** How to open a database. */
    public static final class Options {
        final boolean readOnly;
        final Duration lockTimeout;
        final int pageSize;
        final FaultInjector faults;

        private Options(boolean readOnly, Duration lockTimeout, int pageSize, FaultInjector faults) {
            this.readOnly = readOnly;
            this.lockTimeout = lockTimeout;
            this.pageSize = pageSize;
            this.faults = faults;
        }

        public static Options readWrite() {
            return new Options(false, Duration.ofSeconds(60), 0, null);
        }

        public static Options readOnly() {
            return new Options(true, Duration.ofSeconds(60), 0, null);
        }

        public Options lockTimeout(Duration d) {
            return new Options(readOnly, d, pageSize, faults);
        }

        /** Page size of a new file; 0 (the default) uses the operating system's, as bbolt does. */
        public Options pageSize(int size) {
            return new Options(readOnly, lockTimeout, size, faults);
        }

        /** For crash tests: consulted before every write and sync. */
        public Options faults(FaultInjector f) {
            return new Options(readOnly, lockTimeout, pageSize, f);
        }
    }

    /** A test seam that simulates crashes and torn writes. */
    public interface FaultInjector {
        /**
         * Called before a write of {@code length} bytes at {@code offset}; {@code what} is "init",
         * "grow", "page" or "meta". Returns how many bytes really reach the file (fewer tear the
         * write, and the commit then fails), or throws to stop before the write.
         */
        int beforeWrite(String what, long offset, int length) throws IOException;

        /** Called before each fsync; throws to stop before it. */
        void beforeSync(String what) throws IOException;
    }

    private static final ConcurrentHashMap<Path, PathLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    final Path path;
    final boolean readOnly;
    final int pageSize;
    private final FileChannel ch;
    private final FileLock flock;
    private final PathLock processLock;
    private final FaultInjector faults;
    private final ReentrantLock writer = new ReentrantLock();
    private final TreeMap<Long, Integer> readers = new TreeMap<>();
    private final List<String> metaProblems = new ArrayList<>();

    private volatile Meta meta;
    private volatile long fileSize;
    /** Free pages; used by write transactions only (under {@link #writer}). */
    Freelist freelist;
    private int freelistOverflow;
    private volatile boolean closed;
    private volatile String failed;

    private BoltDb(Path path, boolean readOnly, int pageSize, FileChannel ch, FileLock flock, PathLock processLock, FaultInjector faults) {
        this.path = path;
        this.readOnly = readOnly;
        this.pageSize = pageSize;
        this.ch = ch;
        this.flock = flock;
        this.processLock = processLock;
        this.faults = faults;
    }

    /** Opens (creating when writable and absent) the database at {@code path}. */
    public static BoltDb open(Path path, Options options) {
        Path key = path.toAbsolutePath().normalize();
        PathLock pl = PROCESS_LOCKS.computeIfAbsent(key, k -> new PathLock());
        long timeoutMs = options.lockTimeout.toMillis();
        try {
            if (!pl.acquire(!options.readOnly, TimeUnit.MILLISECONDS.toNanos(timeoutMs))) {
                throw new BerthException(ErrorCode.TIMEOUT, "timed out after " + options.lockTimeout.toSeconds()
                        + "s waiting for another thread of this process to release bolt database " + key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while opening bolt database " + key, e);
        }
        FileLock fl = null;
        FileChannel ch = null;
        try {
            if (options.readOnly && !Files.exists(key)) {
                throw new BerthException(ErrorCode.INTERNAL, "bolt database " + key + " does not exist");
            }
            try {
                fl = FileLock.acquire(key, !options.readOnly, !options.readOnly, timeoutMs, TimeUnit.MILLISECONDS);
            } catch (FileLock.TimeoutException e) {
                throw new BerthException(ErrorCode.TIMEOUT, e.getMessage(), e);
            }
            ch = options.readOnly ? FileChannel.open(key, StandardOpenOption.READ)
                    : FileChannel.open(key, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            int pageSize;
            if (size == 0) {
                if (options.readOnly) {
                    throw new BerthException(ErrorCode.STATE_CORRUPT, "bolt database " + key + " is an empty file");
                }
                pageSize = options.pageSize > 0 ? options.pageSize : FileLock.osPageSize();
                init(key, ch, pageSize, options.faults);
            } else {
                pageSize = detectPageSize(key, ch, size);
            }
            BoltDb db = new BoltDb(key, options.readOnly, pageSize, ch, fl, pl, options.faults);
            db.load();
            return db;
        } catch (IOException e) {
            closeQuietly(ch, fl, pl, !options.readOnly);
            throw new BerthException(ErrorCode.INTERNAL, "cannot open bolt database " + key + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch, fl, pl, !options.readOnly);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch, FileLock fl, PathLock pl, boolean exclusive) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
        if (fl != null) {
            fl.close();
        }
        pl.release(exclusive);
    }

    /** bbolt's init: two meta pages (txid 0 and 1), an empty freelist at page 2, an empty leaf root at page 3. */
    private static void init(Path path, FileChannel ch, int pageSize, FaultInjector faults) throws IOException {
        byte[] buf = new byte[pageSize * 4];
        for (int i = 0; i < 2; i++) {
            Meta m = new Meta();
            m.magic = PageFormat.MAGIC;
            m.version = PageFormat.VERSION;
            m.pageSize = pageSize;
            m.freelist = 2;
            m.root = 3;
            m.pgid = 4;
            m.txid = i;
            System.arraycopy(m.toPage(pageSize), 0, buf, i * pageSize, pageSize);
        }
        Bytes.put64(buf, 2 * pageSize, 2);
        Bytes.put16(buf, 2 * pageSize + 8, PageFormat.FREELIST);
        Bytes.put64(buf, 3 * pageSize, 3);
        Bytes.put16(buf, 3 * pageSize + 8, PageFormat.LEAF);
        int n = buf.length;
        if (faults != null) {
            n = faults.beforeWrite("init", 0, n);
        }
        writeFully(ch, ByteBuffer.wrap(buf, 0, n), 0);
        if (n != buf.length) {
            throw new IOException("simulated torn write");
        }
        if (faults != null) {
            faults.beforeSync("init");
        }
        ch.force(true);
    }

    private static int detectPageSize(Path path, FileChannel ch, long size) throws IOException {
        if (size < 0x1000) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "bolt database " + path + " is not a bolt database: only "
                    + size + " bytes, too small for a meta page");
        }
        byte[] first = new byte[0x1000];
        readFully(ch, ByteBuffer.wrap(first), 0);
        Meta m0 = Meta.read(first, PageFormat.HEADER);
        if (m0.problem() == null) {
            int ps = m0.pageSize;
            if (ps < 512 || ps > (1 << 20) || Integer.bitCount(ps) != 1) {
                throw new BerthException(ErrorCode.STATE_CORRUPT, "bolt database " + path + " has a meta page with an impossible page size " + ps);
            }
            return ps;
        }
        // Meta 0 is damaged: assume the operating system's page size, as bbolt does.
        return FileLock.osPageSize();
    }

    private void load() throws IOException {
        long size = ch.size();
        fileSize = size;
        if (size < 2L * pageSize) {
            throw corrupt("is too small for its two meta pages (" + size + " bytes, page size " + pageSize + ")");
        }
        byte[] p0 = new byte[pageSize];
        byte[] p1 = new byte[pageSize];
        readFully(ch, ByteBuffer.wrap(p0), 0);
        readFully(ch, ByteBuffer.wrap(p1), pageSize);
        Meta m0 = Meta.read(p0, PageFormat.HEADER);
        Meta m1 = Meta.read(p1, PageFormat.HEADER);
        String e0 = m0.problem();
        String e1 = m1.problem();
        if (e0 != null && e1 != null) {
            if (m0.magic != PageFormat.MAGIC && m1.magic != PageFormat.MAGIC) {
                throw corrupt("is not a bolt database (no bbolt magic number in either meta page)");
            }
            throw corrupt("has no valid meta page (page 0: " + e0 + "; page 1: " + e1 + ")");
        }
        if (e0 != null) {
            metaProblems.add("meta page 0: " + e0);
        }
        if (e1 != null) {
            metaProblems.add("meta page 1: " + e1);
        }
        // The meta with the higher txid that validates (bbolt's db.meta()).
        Meta a = Long.compareUnsigned(m1.txid, m0.txid) > 0 ? m1 : m0;
        Meta b = a == m1 ? m0 : m1;
        Meta chosen = a.problem() == null ? a : b;
        if (chosen.pageSize != pageSize) {
            throw corrupt("has meta page size " + chosen.pageSize + " but was read with page size " + pageSize);
        }
        if (chosen.pgid < 4 || chosen.pgid > Long.MAX_VALUE / pageSize) {
            throw corrupt("has an impossible high-water mark " + chosen.pgid);
        }
        if (chosen.pgid * pageSize > size) {
            throw corrupt("is truncated: its meta page (txid " + chosen.txid + ") records " + chosen.pgid + " pages of "
                    + pageSize + " bytes but the file has only " + size + " bytes");
        }
        if (chosen.root < 2 || chosen.root >= chosen.pgid) {
            throw corrupt("has its root bucket at page " + chosen.root + ", outside the database (" + chosen.pgid + " pages)");
        }
        if (chosen.freelist != PageFormat.NO_FREELIST && (chosen.freelist < 2 || chosen.freelist >= chosen.pgid)) {
            throw corrupt("has its freelist at page " + chosen.freelist + ", outside the database (" + chosen.pgid + " pages)");
        }
        meta = chosen;
        if (!readOnly) {
            boolean synced = chosen.freelist != PageFormat.NO_FREELIST;
            freelist = synced ? readFreelist(chosen) : scanFreePages(chosen);
            if (!synced) {
                // As bbolt: write a freelist so that every reader (NoFreelistSync-unaware ones too) finds one.
                update(tx -> {
                    tx.forceWrite = true;
                    return null;
                });
            }
        }
    }

    private Freelist readFreelist(Meta m) {
        byte[] buf = readPage(m.freelist, m.pgid);
        freelistOverflow = (int) Bytes.u32(buf, 12);
        long[] ids;
        try {
            ids = Freelist.readIds(buf);
        } catch (IllegalStateException e) {
            throw corrupt("freelist page " + m.freelist + " " + e.getMessage());
        }
        Freelist f = new Freelist();
        for (long id : ids) {
            if (id < 2 || id >= m.pgid) {
                throw corrupt("freelist page " + m.freelist + " lists page " + id + ", outside the database (" + m.pgid + " pages)");
            }
            if (!f.free.add(id)) {
                throw corrupt("freelist page " + m.freelist + " lists page " + id + " twice");
            }
        }
        return f;
    }

    private Freelist scanFreePages(Meta m) {
        Tx tx = new Tx(this, false, m.copy());
        try {
            java.util.Set<Long> reachable = new java.util.HashSet<>();
            Checker.collectReachable(tx, reachable, null);
            Freelist f = new Freelist();
            for (long id = 2; id < m.pgid; id++) {
                if (!reachable.contains(id)) {
                    f.free.add(id);
                }
            }
            return f;
        } finally {
            tx.finish();
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    public int pageSize() {
        return pageSize;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** Problems found in a meta page that was not used (a torn write, a flipped byte). */
    public List<String> metaProblems() {
        return List.copyOf(metaProblems);
    }

    /** The last committed transaction id. */
    public long txid() {
        return meta.txid;
    }

    Meta meta() {
        return meta;
    }

    BerthException corrupt(String what) {
        return new BerthException(ErrorCode.STATE_CORRUPT, "bolt database " + path + " " + what);
    }

    private BerthException io(String what, IOException e) {
        return new BerthException(ErrorCode.INTERNAL, "bolt database " + path + ": " + what + ": " + e.getMessage(), e);
    }

    /** Runs {@code fn} in a read transaction. */
    public <T> T view(Function<Tx, T> fn) {
        try (Tx tx = begin(false)) {
            return fn.apply(tx);
        }
    }

    /** Runs {@code fn} in a write transaction, committed when it returns and rolled back when it throws. */
    public <T> T update(Function<Tx, T> fn) {
        Tx tx = begin(true);
        try {
            T result = fn.apply(tx);
            tx.commit();
            return result;
        } finally {
            tx.close();
        }
    }

    /** Starts a transaction; close it (a write transaction: commit or roll it back). */
    public Tx begin(boolean writable) {
        if (closed) {
            throw new BerthException(ErrorCode.INTERNAL, "bolt database " + path + " is closed");
        }
        if (!writable) {
            synchronized (this) {
                Meta m = meta.copy();
                readers.merge(m.txid, 1, Integer::sum);
                return new Tx(this, false, m);
            }
        }
        if (readOnly) {
            throw new BerthException(ErrorCode.INTERNAL, "bolt database " + path + " is open read-only");
        }
        writer.lock();
        try {
            if (failed != null) {
                throw new BerthException(ErrorCode.INTERNAL, "bolt database " + path + " is unusable after a failed commit (" + failed + "); reopen it");
            }
            Long oldest;
            synchronized (this) {
                oldest = readers.isEmpty() ? null : readers.firstKey();
            }
            // Pages freed by transaction t are still seen by readers of t-1 and older.
            if (oldest == null) {
                freelist.release(-1L);
            } else if (oldest > 0) {
                freelist.release(oldest - 1);
            }
            Meta m = meta.copy();
            m.txid = m.txid + 1;
            return new Tx(this, true, m);
        } catch (RuntimeException e) {
            writer.unlock();
            throw e;
        }
    }

    void endRead(long txid) {
        synchronized (this) {
            readers.computeIfPresent(txid, (k, v) -> v == 1 ? null : v - 1);
        }
    }

    void endWrite() {
        writer.unlock();
    }

    int freelistOverflow() {
        return freelistOverflow;
    }

    void setFreelistOverflow(int n) {
        freelistOverflow = n;
    }

    /**
     * Reads page {@code id} with its overflow pages. The page must lie below the transaction's
     * high-water mark and inside the file, and carry its own id in its header.
     */
    byte[] readPage(long id, long highWater) {
        if (id < 2) {
            throw corrupt("refers to page " + id + ", a meta page, as data");
        }
        if (id >= highWater) {
            throw corrupt("refers to page " + id + ", beyond its high-water mark of " + highWater + " pages");
        }
        long off = id * pageSize;
        long fsz = fileSize;
        if (off + pageSize > fsz) {
            throw corrupt("refers to page " + id + ", which lies past the end of the file (" + fsz + " bytes)");
        }
        byte[] head = new byte[pageSize];
        try {
            readFully(ch, ByteBuffer.wrap(head), off);
        } catch (IOException e) {
            throw io("cannot read page " + id, e);
        }
        long hid = Bytes.i64(head, 0);
        if (hid != id) {
            throw corrupt("page " + id + " carries id " + hid + " in its header: a pointer or the page is damaged");
        }
        long overflow = Bytes.u32(head, 12);
        if (overflow == 0) {
            return head;
        }
        if (id + overflow >= highWater || (overflow + 1) * pageSize > Integer.MAX_VALUE - 64
                || off + (overflow + 1) * pageSize > fsz) {
            throw corrupt("page " + id + " claims " + overflow + " overflow pages, past the end of the database");
        }
        byte[] buf = new byte[(int) ((overflow + 1) * pageSize)];
        System.arraycopy(head, 0, buf, 0, pageSize);
        try {
            readFully(ch, ByteBuffer.wrap(buf, pageSize, buf.length - pageSize), off + pageSize);
        } catch (IOException e) {
            throw io("cannot read page " + id, e);
        }
        return buf;
    }

    /** Writes a commit: grow, data pages, fsync, meta page, fsync. */
    void writeCommit(TreeMap<Long, byte[]> pages, Meta m) {
        try {
            ensureFileSize(m.pgid * pageSize);
            for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
                write("page", e.getValue(), e.getKey() * pageSize);
            }
            sync("data");
            byte[] mp = m.toPage(pageSize);
            write("meta", mp, Long.remainderUnsigned(m.txid, 2) * pageSize);
            sync("meta");
        } catch (IOException e) {
            failed = e.getMessage();
            throw io("commit of transaction " + m.txid + " failed", e);
        }
        synchronized (this) {
            meta = m;
        }
    }

    void commitFailed(String why) {
        failed = why;
    }

    private void write(String what, byte[] buf, long offset) throws IOException {
        int n = buf.length;
        if (faults != null) {
            n = faults.beforeWrite(what, offset, n);
        }
        writeFully(ch, ByteBuffer.wrap(buf, 0, n), offset);
        if (n != buf.length) {
            throw new IOException("simulated torn " + what + " write at offset " + offset);
        }
    }

    private void sync(String what) throws IOException {
        if (faults != null) {
            faults.beforeSync(what);
        }
        ch.force(false);
    }

    /**
     * Grows the file in bbolt's steps: doubling from 32 KiB, then 16 MiB at a time. Unlike bbolt
     * (which truncates, leaving a sparse file) the new space is written with zeros, so that later
     * commits overwrite allocated blocks and their fdatasync need not journal block allocations.
     * The new size is fsynced before any page is written into it.
     */
    private void ensureFileSize(long needed) throws IOException {
        long cur = fileSize;
        if (cur >= needed) {
            return;
        }
        long sz;
        if (needed < (16L << 20)) {
            sz = 32 << 10;
            while (sz < needed) {
                sz <<= 1;
            }
        } else {
            sz = needed + (16L << 20);
        }
        byte[] zeros = new byte[(int) Math.min(1 << 20, sz - cur)];
        for (long off = cur; off < sz; off += zeros.length) {
            int len = (int) Math.min(zeros.length, sz - off);
            write("grow", len == zeros.length ? zeros : new byte[len], off);
        }
        if (faults != null) {
            faults.beforeSync("grow");
        }
        ch.force(true);
        fileSize = sz;
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at offset " + pos);
            }
            pos += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    /** Checks the file as bbolt's tx.Check does, and more (key order, page types); returns the problems found. */
    public List<String> check() {
        try (Tx tx = begin(false)) {
            return Checker.check(tx);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        writer.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing was pending: every commit was synced
            }
            flock.close();
            processLock.release(!readOnly);
        } finally {
            writer.unlock();
        }
    }
}
