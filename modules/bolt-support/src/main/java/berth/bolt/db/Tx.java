package berth.bolt.db;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A transaction: a consistent view of the database as of one meta page; a writable one changes
 * copies of the pages it touches and writes them out at {@link #commit()}. Not for concurrent use
 * by several threads.
 */
public final class Tx implements AutoCloseable {
    final BoltDb db;
    final boolean writable;
    /** The meta this transaction reads; a writer's copy carries the new txid and high-water mark. */
    final Meta meta;
    private final Map<Long, Node> cache = new HashMap<>();
    private final Bucket root;
    /** Pages this writer freed (old versions of the pages it changed). */
    private final List<Long> freed = new ArrayList<>();
    private final Set<Long> freedSet = new HashSet<>();
    /** Pages allocated and filled at commit, by id. */
    private final TreeMap<Long, byte[]> dirtyPages = new TreeMap<>();
    private final Freelist freelistBackup;
    private final long originalHighWater;
    private boolean done;
    /** Commit even without changes (to write a freelist for a file that had none). */
    boolean forceWrite;

    Tx(BoltDb db, boolean writable, Meta meta) {
        this.db = db;
        this.writable = writable;
        this.meta = meta;
        this.originalHighWater = meta.pgid;
        this.freelistBackup = writable ? db.freelist.copy() : null;
        this.root = new Bucket(this, null, null, meta.root, meta.rootSequence, null);
    }

    public boolean writable() {
        return writable;
    }

    /** This transaction's id: the committed one it reads, or for a writer the one it will commit as. */
    public long id() {
        return meta.txid;
    }

    public BoltDb db() {
        return db;
    }

    /** The root bucket, whose keys are the top-level buckets. */
    public Bucket root() {
        return root;
    }

    public Bucket bucket(String name) {
        return root.bucket(name);
    }

    public Bucket bucket(byte[] name) {
        return root.bucket(name);
    }

    public Bucket createBucket(String name) {
        return root.createBucket(name);
    }

    public Bucket createBucketIfNotExists(String name) {
        return root.createBucketIfNotExists(name);
    }

    public Bucket createBucketIfNotExists(byte[] name) {
        return root.createBucketIfNotExists(name);
    }

    public void deleteBucket(String name) {
        root.deleteBucket(name);
    }

    /** Every top-level bucket name. */
    public void forEachBucket(BiConsumer<byte[], Bucket> fn) {
        List<byte[]> names = new ArrayList<>();
        root.forEach((k, v) -> {
            if (v == null) {
                names.add(k);
            }
        });
        for (byte[] n : names) {
            fn.accept(n, root.bucket(n));
        }
    }

    void checkOpen() {
        if (done) {
            throw new BerthException(ErrorCode.INTERNAL, "bolt transaction on " + db.path + " is closed");
        }
    }

    void checkWritable() {
        checkOpen();
        if (!writable) {
            throw new BerthException(ErrorCode.INTERNAL, "bolt transaction on " + db.path + " is read-only");
        }
    }

    /** The clean node of page {@code pgid}, read once per transaction. */
    Node node(long pgid) {
        Node n = cache.get(pgid);
        if (n != null) {
            return n;
        }
        byte[] buf = db.readPage(pgid, originalHighWater);
        try {
            n = Node.parse(buf, 0, buf.length, pgid);
        } catch (IllegalStateException e) {
            throw db.corrupt("page " + pgid + " " + e.getMessage());
        }
        cache.put(pgid, n);
        return n;
    }

    /** Raw page bytes (for the checker). */
    byte[] pageBytes(long pgid) {
        return db.readPage(pgid, originalHighWater);
    }

    /** A dirty copy of a clean node; its page (if it has one) is freed. */
    Node cow(Node clean) {
        if (clean.dirty) {
            return clean;
        }
        if (clean.pgid != 0) {
            free(clean.pgid, clean.overflow);
        }
        return clean.copy();
    }

    void free(long pgid, int overflow) {
        for (long id = pgid; id <= pgid + overflow; id++) {
            if (!freedSet.add(id) || db.freelist.contains(id)) {
                throw db.corrupt("page " + id + " is referenced twice or is both in use and free");
            }
            freed.add(id);
        }
    }

    /** Allocates {@code count} contiguous pages for new content: from the freelist, else past the high-water mark. */
    long allocate(int count) {
        long id = db.freelist.allocate(count);
        if (id == 0) {
            id = meta.pgid;
            meta.pgid += count;
        }
        return id;
    }

    void addDirtyPage(long id, byte[] buf) {
        dirtyPages.put(id, buf);
    }

    /** Writes the changes: pages first, fsync, then the meta page, fsync. */
    public void commit() {
        checkWritable();
        if (!root.dirty && !forceWrite) {
            // Nothing changed: nothing to write (bbolt would still write a new freelist and meta page).
            finish();
            return;
        }
        boolean ok = false;
        try {
            root.rebalanceAll();
            long newRoot = root.spillRoot();
            meta.root = newRoot;
            meta.rootSequence = root.sequence;
            // The old freelist page is replaced by a fresh one.
            if (meta.freelist != PageFormat.NO_FREELIST) {
                free(meta.freelist, db.freelistOverflow());
            }
            if (!freed.isEmpty()) {
                db.freelist.pending.computeIfAbsent(meta.txid, k -> new ArrayList<>()).addAll(freed);
            }
            int pages = db.freelist.byteSize() / db.pageSize + 1;
            long flId = allocate(pages);
            byte[] fl = new byte[pages * db.pageSize];
            db.freelist.write(fl);
            Bytes.put64(fl, 0, flId);
            Bytes.put32(fl, 12, pages - 1);
            dirtyPages.put(flId, fl);
            meta.freelist = flId;
            db.writeCommit(dirtyPages, meta);
            db.setFreelistOverflow(pages - 1);
            ok = true;
        } finally {
            if (!ok) {
                db.freelist = freelistBackup;
            }
            finish();
        }
    }

    /** Drops the changes. */
    public void rollback() {
        if (done) {
            return;
        }
        if (writable) {
            db.freelist = freelistBackup;
        }
        finish();
    }

    void finish() {
        if (done) {
            return;
        }
        done = true;
        cache.clear();
        if (writable) {
            db.endWrite();
        } else {
            db.endRead(meta.txid);
        }
    }

    /** Rolls back unless committed. */
    @Override
    public void close() {
        rollback();
    }
}
