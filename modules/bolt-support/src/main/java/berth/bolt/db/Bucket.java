package berth.bolt.db;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.bolt.db.Node.Inode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A bucket: a B+tree of keys with values or nested buckets. A small bucket (one leaf page worth a
 * quarter page, no nested buckets) is stored inline in its parent's value, as bbolt does.
 */
public final class Bucket {
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_DEPTH = 64;

    final Tx tx;
    final Bucket parent;
    final byte[] name;
    /** Root page, 0 for an inline bucket. */
    long root;
    long sequence;
    /** The root node when materialized: an inline bucket's page (clean) or a dirty copy. */
    Node rootNode;
    /** Opened nested buckets, so that their changes are written back at commit. */
    private final TreeMap<byte[], Bucket> children = new TreeMap<>(Bytes.ORDER);
    boolean dirty;
    private boolean deleted;

    Bucket(Tx tx, Bucket parent, byte[] name, long root, long sequence, Node inlineRoot) {
        this.tx = tx;
        this.parent = parent;
        this.name = name;
        this.root = root;
        this.sequence = sequence;
        this.rootNode = inlineRoot;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void checkUsable() {
        tx.checkOpen();
        if (deleted) {
            throw new BerthException(ErrorCode.INTERNAL, "bucket " + describe() + " was deleted");
        }
    }

    /**
     * The bucket and its file, for errors about what is stored: when the caller did not misuse the
     * API, a key where a bucket belongs (or the reverse) is a damaged file, and the user must know which.
     */
    private String where() {
        return describe() + " of " + tx.db.path;
    }

    String describe() {
        if (parent == null) {
            return "<root>";
        }
        return (parent.parent == null ? "" : parent.describe() + "/") + Bytes.printable(name);
    }

    private Node rootForRead() {
        if (rootNode != null) {
            return rootNode;
        }
        return tx.node(root);
    }

    Node childForRead(Inode in) {
        return in.child != null ? in.child : tx.node(in.pgid);
    }

    /** The leaf element with exactly this key, or null. */
    private Inode find(byte[] key) {
        Node n = rootForRead();
        int depth = 0;
        while (!n.leaf) {
            if (++depth > MAX_DEPTH || n.inodes.isEmpty()) {
                throw tx.db.corrupt("bucket " + describe() + " has a malformed tree (cycle or empty branch page)");
            }
            n = childForRead(n.inodes.get(n.childIndex(key)));
        }
        int i = n.lowerBound(key);
        if (i < n.inodes.size() && Arrays.equals(n.inodes.get(i).key, key)) {
            return n.inodes.get(i);
        }
        return null;
    }

    // ---- reading

    /** The value of {@code key}, or null when absent or a nested bucket. The array must not be changed. */
    public byte[] get(byte[] key) {
        checkUsable();
        Inode in = find(key);
        return in == null || in.isBucket() ? null : in.value;
    }

    public byte[] get(String key) {
        return get(utf8(key));
    }

    public String getString(String key) {
        byte[] v = get(key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** The nested bucket {@code name}, or null. */
    public Bucket bucket(byte[] name) {
        checkUsable();
        Bucket c = children.get(name);
        if (c != null) {
            return c;
        }
        Inode in = find(name);
        if (in == null || !in.isBucket()) {
            return null;
        }
        c = open(name, in.value);
        children.put(name.clone(), c);
        return c;
    }

    public Bucket bucket(String name) {
        return bucket(utf8(name));
    }

    private Bucket open(byte[] childName, byte[] value) {
        long r = Bytes.i64(value, 0);
        long seq = Bytes.i64(value, 8);
        Node inline = null;
        if (r == 0) {
            try {
                inline = Node.parse(value, PageFormat.BUCKET_HEADER, value.length - PageFormat.BUCKET_HEADER, 0);
            } catch (IllegalStateException e) {
                throw tx.db.corrupt("inline bucket " + Bytes.printable(childName) + " in " + describe() + " " + e.getMessage());
            }
            if (!inline.leaf) {
                throw tx.db.corrupt("inline bucket " + Bytes.printable(childName) + " in " + describe() + " holds a branch page");
            }
        }
        return new Bucket(tx, this, childName.clone(), r, seq, inline);
    }

    /** Calls {@code fn} for every key in order; the value is null for a nested bucket. */
    public void forEach(BiConsumer<byte[], byte[]> fn) {
        Cursor c = cursor();
        for (Cursor.Entry e = c.first(); e != null; e = c.next()) {
            fn.accept(e.key(), e.value());
        }
    }

    public Cursor cursor() {
        checkUsable();
        return new Cursor(this, rootForRead());
    }

    /** Keys with this prefix, in order (values of nested buckets are null). */
    public List<byte[]> keysWithPrefix(byte[] prefix, int limit) {
        List<byte[]> out = new ArrayList<>();
        Cursor c = cursor();
        for (Cursor.Entry e = c.seek(prefix); e != null && Bytes.startsWith(e.key(), prefix) && out.size() < limit; e = c.next()) {
            out.add(e.key());
        }
        return out;
    }

    public long sequence() {
        return sequence;
    }

    // ---- writing

    private static void checkKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: key required");
        }
        if (key.length > PageFormat.MAX_KEY_SIZE) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: key too large (" + key.length + " bytes)");
        }
    }

    private void markDirty() {
        for (Bucket b = this; b != null && !b.dirty; b = b.parent) {
            b.dirty = true;
        }
    }

    private Node writableRoot() {
        if (rootNode == null) {
            rootNode = tx.cow(tx.node(root));
        } else if (!rootNode.dirty) {
            rootNode = tx.cow(rootNode);
        }
        markDirty();
        return rootNode;
    }

    /** The leaf that holds (or would hold) {@code key}, with every node on the way made dirty. */
    private Node leafForWrite(byte[] key) {
        Node n = writableRoot();
        int depth = 0;
        while (!n.leaf) {
            if (++depth > MAX_DEPTH || n.inodes.isEmpty()) {
                throw tx.db.corrupt("bucket " + describe() + " has a malformed tree (cycle or empty branch page)");
            }
            Inode in = n.inodes.get(n.childIndex(key));
            if (in.child == null) {
                in.child = tx.cow(tx.node(in.pgid));
            }
            n = in.child;
        }
        return n;
    }

    /** Sets {@code key} to {@code value}. */
    public void put(byte[] key, byte[] value) {
        tx.checkWritable();
        checkUsable();
        checkKey(key);
        if (value == null || value.length > PageFormat.MAX_VALUE_SIZE) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: value missing or too large");
        }
        Inode existing = find(key);
        if (existing != null && existing.isBucket()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: key " + Bytes.printable(key) + " in " + where() + " is a bucket");
        }
        Node leaf = leafForWrite(key);
        int i = leaf.lowerBound(key);
        if (i < leaf.inodes.size() && Arrays.equals(leaf.inodes.get(i).key, key)) {
            leaf.inodes.get(i).value = value.clone();
        } else {
            leaf.inodes.add(i, new Inode(0, key.clone(), value.clone(), 0, null));
        }
    }

    public void put(String key, byte[] value) {
        put(utf8(key), value);
    }

    public void put(String key, String value) {
        put(utf8(key), utf8(value));
    }

    /** Removes {@code key}; nothing when absent. */
    public void delete(byte[] key) {
        tx.checkWritable();
        checkUsable();
        Inode existing = find(key);
        if (existing == null) {
            return;
        }
        if (existing.isBucket()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: key " + Bytes.printable(key) + " in " + where() + " is a bucket");
        }
        removeFromLeaf(key);
    }

    public void delete(String key) {
        delete(utf8(key));
    }

    private void removeFromLeaf(byte[] key) {
        Node leaf = leafForWrite(key);
        int i = leaf.lowerBound(key);
        if (i < leaf.inodes.size() && Arrays.equals(leaf.inodes.get(i).key, key)) {
            leaf.inodes.remove(i);
            leaf.unbalanced = true;
        }
    }

    /** Creates the nested bucket {@code name}, which must not exist. */
    public Bucket createBucket(byte[] name) {
        tx.checkWritable();
        checkUsable();
        checkKey(name);
        Inode existing = find(name);
        if (existing != null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: " + (existing.isBucket() ? "bucket " : "key ")
                    + Bytes.printable(name) + " already exists in " + where());
        }
        // A new bucket is an empty inline leaf.
        byte[] value = new byte[PageFormat.BUCKET_HEADER + PageFormat.HEADER];
        Bytes.put16(value, PageFormat.BUCKET_HEADER + 8, PageFormat.LEAF);
        Node leaf = leafForWrite(name);
        leaf.inodes.add(leaf.lowerBound(name), new Inode(PageFormat.BUCKET_LEAF, name.clone(), value, 0, null));
        return bucket(name);
    }

    public Bucket createBucket(String name) {
        return createBucket(utf8(name));
    }

    public Bucket createBucketIfNotExists(byte[] name) {
        Bucket b = bucket(name);
        return b != null ? b : createBucket(name);
    }

    public Bucket createBucketIfNotExists(String name) {
        return createBucketIfNotExists(utf8(name));
    }

    /** Deletes the nested bucket {@code name} with everything in it; its pages are freed. */
    public void deleteBucket(byte[] name) {
        tx.checkWritable();
        checkUsable();
        Bucket c = bucket(name);
        if (c == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bolt: bucket " + Bytes.printable(name) + " not found in " + where());
        }
        List<byte[]> nested = new ArrayList<>();
        c.forEach((k, v) -> {
            if (v == null) {
                nested.add(k);
            }
        });
        for (byte[] k : nested) {
            c.deleteBucket(k);
        }
        c.freeAll();
        c.deleted = true;
        children.remove(name);
        removeFromLeaf(name);
    }

    public void deleteBucket(String name) {
        deleteBucket(utf8(name));
    }

    public void setSequence(long v) {
        tx.checkWritable();
        checkUsable();
        writableRoot();
        sequence = v;
    }

    public long nextSequence() {
        setSequence(sequence + 1);
        return sequence;
    }

    private void freeAll() {
        if (rootNode != null && rootNode.dirty) {
            freeDirty(rootNode);
        } else if (root != 0) {
            freeClean(root, 0);
        }
    }

    private void freeDirty(Node n) {
        if (!n.leaf) {
            for (Inode in : n.inodes) {
                if (in.child != null) {
                    freeDirty(in.child);
                } else {
                    freeClean(in.pgid, 0);
                }
            }
        }
    }

    private void freeClean(long pgid, int depth) {
        if (depth > MAX_DEPTH) {
            throw tx.db.corrupt("bucket " + describe() + " has a malformed tree (cycle)");
        }
        Node n = tx.node(pgid);
        tx.free(pgid, n.overflow);
        if (!n.leaf) {
            for (Inode in : n.inodes) {
                freeClean(in.pgid, depth + 1);
            }
        }
    }

    // ---- commit: rebalance, then spill

    void rebalanceAll() {
        for (Bucket c : children.values()) {
            if (c.dirty) {
                c.rebalanceAll();
            }
        }
        if (rootNode == null || !rootNode.dirty) {
            return;
        }
        rebalanceChildren(rootNode);
        while (!rootNode.leaf && rootNode.inodes.size() == 1) {
            Inode in = rootNode.inodes.get(0);
            rootNode = in.child != null ? in.child : tx.cow(tx.node(in.pgid));
        }
        if (!rootNode.leaf && rootNode.inodes.isEmpty()) {
            rootNode = Node.emptyLeaf();
        }
    }

    private boolean underfilled(Node n) {
        return n.size() <= tx.db.pageSize / 4 || n.inodes.size() <= (n.leaf ? 1 : 2);
    }

    /** Merges the underfilled dirty children of a dirty branch into a sibling, bottom-up (bbolt's rebalance). */
    private void rebalanceChildren(Node n) {
        if (n.leaf) {
            return;
        }
        for (Inode in : n.inodes) {
            if (in.child != null) {
                rebalanceChildren(in.child);
            }
        }
        int i = 0;
        while (i < n.inodes.size()) {
            Node c = n.inodes.get(i).child;
            if (c == null || !c.unbalanced) {
                i++;
                continue;
            }
            if (!underfilled(c)) {
                c.unbalanced = false;
                i++;
                continue;
            }
            if (c.inodes.isEmpty()) {
                n.inodes.remove(i);
                n.unbalanced = true;
                continue;
            }
            if (n.inodes.size() == 1) {
                c.unbalanced = false;
                i++;
                continue;
            }
            int j = i == 0 ? 1 : i - 1;
            Inode sib = n.inodes.get(j);
            if (sib.child == null) {
                sib.child = tx.cow(tx.node(sib.pgid));
            }
            Node left = i == 0 ? c : sib.child;
            Node right = i == 0 ? sib.child : c;
            left.inodes.addAll(right.inodes);
            n.inodes.remove(i == 0 ? 1 : i);
            n.unbalanced = true;
            left.unbalanced = true;
            i = i == 0 ? 0 : i - 1;
        }
    }

    /** Writes the root bucket's tree; returns its root page. */
    long spillRoot() {
        spillChildren();
        if (rootNode != null && rootNode.dirty) {
            root = spillTree();
            rootNode = null;
        }
        return root;
    }

    /** Writes a nested bucket; returns its new value for the parent's leaf. */
    private byte[] spill() {
        spillChildren();
        if (rootNode != null && rootNode.dirty && inlineable()) {
            root = 0;
            return inlineValue();
        }
        if (rootNode != null && rootNode.dirty) {
            root = spillTree();
            rootNode = null;
        } else if (root == 0 && rootNode != null) {
            return inlineValue();
        }
        byte[] v = new byte[PageFormat.BUCKET_HEADER];
        Bytes.put64(v, 0, root);
        Bytes.put64(v, 8, sequence);
        return v;
    }

    private void spillChildren() {
        for (Map.Entry<byte[], Bucket> e : children.entrySet()) {
            Bucket c = e.getValue();
            if (!c.dirty) {
                continue;
            }
            byte[] v = c.spill();
            Node leaf = leafForWrite(c.name);
            int i = leaf.lowerBound(c.name);
            if (i >= leaf.inodes.size() || !Arrays.equals(leaf.inodes.get(i).key, c.name) || !leaf.inodes.get(i).isBucket()) {
                throw new IllegalStateException("bucket " + c.describe() + " vanished from its parent");
            }
            leaf.inodes.get(i).value = v;
        }
    }

    private boolean inlineable() {
        Node n = rootNode;
        if (n == null || !n.leaf) {
            return false;
        }
        int size = PageFormat.HEADER;
        for (Inode in : n.inodes) {
            if (in.isBucket()) {
                return false;
            }
            size += PageFormat.LEAF_ELEMENT + in.key.length + in.value.length;
            if (size > tx.db.pageSize / 4) {
                return false;
            }
        }
        return true;
    }

    private byte[] inlineValue() {
        byte[] v = new byte[PageFormat.BUCKET_HEADER + rootNode.size()];
        Bytes.put64(v, 8, sequence);
        Node.write(true, rootNode.inodes, v, PageFormat.BUCKET_HEADER);
        return v;
    }

    private record Ref(byte[] key, long pgid) {
    }

    private long spillTree() {
        List<Ref> refs = spillNode(rootNode);
        if (refs.isEmpty()) {
            refs = writeNode(true, new ArrayList<>());
        }
        while (refs.size() > 1) {
            List<Inode> ins = new ArrayList<>(refs.size());
            for (Ref r : refs) {
                ins.add(new Inode(0, r.key, null, r.pgid, null));
            }
            refs = writeNode(false, ins);
        }
        return refs.get(0).pgid;
    }

    private List<Ref> spillNode(Node n) {
        List<Inode> ins = n.inodes;
        if (!n.leaf) {
            List<Inode> out = new ArrayList<>(ins.size() + 4);
            for (Inode in : ins) {
                if (in.child != null) {
                    for (Ref r : spillNode(in.child)) {
                        out.add(new Inode(0, r.key, null, r.pgid, null));
                    }
                } else {
                    out.add(new Inode(0, in.key, null, in.pgid, null));
                }
            }
            if (out.isEmpty()) {
                return List.of();
            }
            ins = out;
        } else if (ins.isEmpty() && n != rootNode) {
            return List.of(); // an emptied leaf: dropped (its page was freed when it was copied)
        }
        return writeNode(n.leaf, ins);
    }

    private List<Ref> writeNode(boolean leaf, List<Inode> ins) {
        int pageSize = tx.db.pageSize;
        List<Ref> refs = new ArrayList<>();
        for (List<Inode> chunk : Node.split(leaf, ins, pageSize)) {
            int size = Node.size(leaf, chunk);
            int count = (size + pageSize - 1) / pageSize;
            long id = tx.allocate(count);
            byte[] buf = new byte[count * pageSize];
            Node.write(leaf, chunk, buf, 0);
            Bytes.put64(buf, 0, id);
            Bytes.put32(buf, 12, count - 1);
            tx.addDirtyPage(id, buf);
            refs.add(new Ref(chunk.isEmpty() ? EMPTY : chunk.get(0).key, id));
        }
        return refs;
    }
}
