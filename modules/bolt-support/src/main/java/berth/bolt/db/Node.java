package berth.bolt.db;

import java.util.ArrayList;
import java.util.List;

/**
 * One B+tree page in memory. A clean node mirrors a page of the file (or an inline bucket's page)
 * and is never changed; a write transaction changes a {@linkplain #copy() dirty copy}, whose old
 * page is freed at once. Branch elements point at a child by page id or, once the child is
 * dirty, by the child node itself.
 */
final class Node {
    /** One element: a leaf's key and value (with flags), or a branch's first key of a child. */
    static final class Inode {
        int flags;
        byte[] key;
        byte[] value;
        long pgid;
        Node child;

        Inode(int flags, byte[] key, byte[] value, long pgid, Node child) {
            this.flags = flags;
            this.key = key;
            this.value = value;
            this.pgid = pgid;
            this.child = child;
        }

        boolean isBucket() {
            return (flags & PageFormat.BUCKET_LEAF) != 0;
        }
    }

    final boolean leaf;
    /** The page this node was read from, 0 for a new node or an inline bucket's page. */
    final long pgid;
    /** Overflow count of that page. */
    final int overflow;
    final boolean dirty;
    /** Set when an element was removed: the node may be merged into a sibling at commit. */
    boolean unbalanced;
    List<Inode> inodes;

    Node(boolean leaf, long pgid, int overflow, boolean dirty, List<Inode> inodes) {
        this.leaf = leaf;
        this.pgid = pgid;
        this.overflow = overflow;
        this.dirty = dirty;
        this.inodes = inodes;
    }

    static Node emptyLeaf() {
        return new Node(true, 0, 0, true, new ArrayList<>());
    }

    /** A dirty, changeable copy of this node. */
    Node copy() {
        List<Inode> list = new ArrayList<>(inodes.size() + 4);
        for (Inode in : inodes) {
            list.add(new Inode(in.flags, in.key, in.value, in.pgid, in.child));
        }
        return new Node(leaf, 0, 0, true, list);
    }

    byte[] firstKey() {
        return inodes.isEmpty() ? new byte[0] : inodes.get(0).key;
    }

    int elementSize() {
        return leaf ? PageFormat.LEAF_ELEMENT : PageFormat.BRANCH_ELEMENT;
    }

    static int size(boolean leaf, List<Inode> inodes) {
        int sz = PageFormat.HEADER;
        int el = leaf ? PageFormat.LEAF_ELEMENT : PageFormat.BRANCH_ELEMENT;
        for (Inode in : inodes) {
            sz += el + in.key.length + (leaf ? in.value.length : 0);
        }
        return sz;
    }

    int size() {
        return size(leaf, inodes);
    }

    /** Index of the first element whose key is >= key (inodes.size() when none). */
    int lowerBound(byte[] key) {
        int lo = 0;
        int hi = inodes.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Bytes.compare(inodes.get(mid).key, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The child of a branch that may hold key: the last element whose key is <= key, or the first. */
    int childIndex(byte[] key) {
        int i = lowerBound(key);
        if (i < inodes.size() && Bytes.compare(inodes.get(i).key, key) == 0) {
            return i;
        }
        return i > 0 ? i - 1 : 0;
    }

    /**
     * Parses a branch or leaf page held in {@code buf[off, off+len)}. Every offset is checked
     * against the page's bounds; a bad one throws {@link IllegalStateException} with the reason.
     */
    static Node parse(byte[] buf, int off, int len, long pgid) {
        if (len < PageFormat.HEADER) {
            throw new IllegalStateException("page is shorter than its header");
        }
        int flags = Bytes.u16(buf, off + 8);
        int count = Bytes.u16(buf, off + 10);
        int overflow = (int) Bytes.u32(buf, off + 12);
        boolean leaf;
        if ((flags & PageFormat.LEAF) != 0) {
            leaf = true;
        } else if ((flags & PageFormat.BRANCH) != 0) {
            leaf = false;
        } else {
            throw new IllegalStateException("is a " + PageFormat.typeName(flags) + " page where a branch or leaf page belongs");
        }
        int el = leaf ? PageFormat.LEAF_ELEMENT : PageFormat.BRANCH_ELEMENT;
        long end = (long) off + len;
        if (off + PageFormat.HEADER + (long) count * el > end) {
            throw new IllegalStateException("claims " + count + " elements, more than fit in the page");
        }
        List<Inode> list = new ArrayList<>(count + 4);
        for (int i = 0; i < count; i++) {
            int e = off + PageFormat.HEADER + i * el;
            if (leaf) {
                int fl = (int) Bytes.u32(buf, e);
                long pos = Bytes.u32(buf, e + 4);
                long ksize = Bytes.u32(buf, e + 8);
                long vsize = Bytes.u32(buf, e + 12);
                long k = e + pos;
                if (ksize == 0 || k + ksize + vsize > end) {
                    throw new IllegalStateException("element " + i + " points outside the page");
                }
                byte[] key = java.util.Arrays.copyOfRange(buf, (int) k, (int) (k + ksize));
                byte[] value = java.util.Arrays.copyOfRange(buf, (int) (k + ksize), (int) (k + ksize + vsize));
                if ((fl & PageFormat.BUCKET_LEAF) != 0 && value.length < PageFormat.BUCKET_HEADER) {
                    throw new IllegalStateException("element " + i + " is a bucket with a " + value.length + "-byte header");
                }
                list.add(new Inode(fl, key, value, 0, null));
            } else {
                long pos = Bytes.u32(buf, e);
                long ksize = Bytes.u32(buf, e + 4);
                long child = Bytes.i64(buf, e + 8);
                long k = e + pos;
                if (ksize == 0 || k + ksize > end) {
                    throw new IllegalStateException("element " + i + " points outside the page");
                }
                byte[] key = java.util.Arrays.copyOfRange(buf, (int) k, (int) (k + ksize));
                list.add(new Inode(0, key, null, child, null));
            }
        }
        if (!leaf && count == 0) {
            throw new IllegalStateException("is a branch page without elements");
        }
        return new Node(leaf, pgid, overflow, false, list);
    }

    /**
     * Writes elements of a node as a page into {@code buf} at {@code off}: the flags and count of
     * the header, the element array, then keys and values. The caller sets id and overflow.
     */
    static void write(boolean leaf, List<Inode> inodes, byte[] buf, int off) {
        if (inodes.size() >= 0xFFFF) {
            throw new IllegalStateException("too many elements for one page: " + inodes.size());
        }
        Bytes.put16(buf, off + 8, leaf ? PageFormat.LEAF : PageFormat.BRANCH);
        Bytes.put16(buf, off + 10, inodes.size());
        int el = leaf ? PageFormat.LEAF_ELEMENT : PageFormat.BRANCH_ELEMENT;
        int data = off + PageFormat.HEADER + el * inodes.size();
        for (int i = 0; i < inodes.size(); i++) {
            Inode in = inodes.get(i);
            int e = off + PageFormat.HEADER + i * el;
            if (leaf) {
                Bytes.put32(buf, e, in.flags);
                Bytes.put32(buf, e + 4, data - e);
                Bytes.put32(buf, e + 8, in.key.length);
                Bytes.put32(buf, e + 12, in.value.length);
                System.arraycopy(in.key, 0, buf, data, in.key.length);
                System.arraycopy(in.value, 0, buf, data + in.key.length, in.value.length);
                data += in.key.length + in.value.length;
            } else {
                Bytes.put32(buf, e, data - e);
                Bytes.put32(buf, e + 4, in.key.length);
                Bytes.put64(buf, e + 8, in.pgid);
                System.arraycopy(in.key, 0, buf, data, in.key.length);
                data += in.key.length;
            }
        }
    }

    /**
     * bbolt's split: a node that does not fit a page is cut into pieces filled to
     * {@link PageFormat#FILL_PERCENT} of a page, each with at least {@link PageFormat#MIN_KEYS_PER_PAGE}
     * elements; a node of at most four elements is never split (it goes to overflow pages instead).
     */
    static List<List<Inode>> split(boolean leaf, List<Inode> inodes, int pageSize) {
        List<List<Inode>> out = new ArrayList<>();
        List<Inode> rest = inodes;
        int el = leaf ? PageFormat.LEAF_ELEMENT : PageFormat.BRANCH_ELEMENT;
        int threshold = (int) (pageSize * PageFormat.FILL_PERCENT);
        while (true) {
            if (rest.size() <= PageFormat.MIN_KEYS_PER_PAGE * 2 || size(leaf, rest) < pageSize) {
                out.add(rest);
                return out;
            }
            int sz = PageFormat.HEADER;
            int index = 0;
            for (int i = 0; i < rest.size() - PageFormat.MIN_KEYS_PER_PAGE; i++) {
                index = i;
                Inode in = rest.get(i);
                int elsize = el + in.key.length + (leaf ? in.value.length : 0);
                if (i >= PageFormat.MIN_KEYS_PER_PAGE && sz + elsize > threshold) {
                    break;
                }
                sz += elsize;
            }
            out.add(new ArrayList<>(rest.subList(0, index)));
            rest = new ArrayList<>(rest.subList(index, rest.size()));
        }
    }
}
