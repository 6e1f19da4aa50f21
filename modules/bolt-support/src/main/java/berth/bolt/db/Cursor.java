package berth.bolt.db;

import java.util.ArrayDeque;

/** Walks a bucket's keys in order. Invalidated by changes to the bucket. */
public final class Cursor {
    /** A key with its value (null for a nested bucket). */
    public record Entry(byte[] key, byte[] value, int flags) {
        public boolean isBucket() {
            return (flags & PageFormat.BUCKET_LEAF) != 0;
        }
    }

    private static final class Frame {
        final Node node;
        int index;

        Frame(Node node, int index) {
            this.node = node;
            this.index = index;
        }
    }

    private final Bucket bucket;
    private final Node root;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();

    Cursor(Bucket bucket, Node root) {
        this.bucket = bucket;
        this.root = root;
    }

    public Entry first() {
        stack.clear();
        stack.push(new Frame(root, 0));
        return settle();
    }

    /** The first key >= {@code key}. */
    public Entry seek(byte[] key) {
        stack.clear();
        Node n = root;
        while (!n.leaf) {
            if (stack.size() > 64 || n.inodes.isEmpty()) {
                throw bucket.tx.db.corrupt("bucket " + bucket.describe() + " has a malformed tree (cycle or empty branch page)");
            }
            int i = n.childIndex(key);
            stack.push(new Frame(n, i));
            n = bucket.childForRead(n.inodes.get(i));
        }
        stack.push(new Frame(n, n.lowerBound(key)));
        return settle();
    }

    public Entry next() {
        if (stack.isEmpty()) {
            return null;
        }
        stack.peek().index++;
        return settle();
    }

    private Entry settle() {
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.index >= f.node.inodes.size()) {
                stack.pop();
                if (!stack.isEmpty()) {
                    stack.peek().index++;
                }
                continue;
            }
            Node.Inode in = f.node.inodes.get(f.index);
            if (f.node.leaf) {
                return new Entry(in.key, in.isBucket() ? null : in.value, in.flags);
            }
            if (stack.size() > 64) {
                throw bucket.tx.db.corrupt("bucket " + bucket.describe() + " has a malformed tree (cycle)");
            }
            stack.push(new Frame(bucket.childForRead(in), 0));
        }
        return null;
    }
}
