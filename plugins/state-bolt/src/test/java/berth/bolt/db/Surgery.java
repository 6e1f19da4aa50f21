package berth.bolt.db;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Finds bytes in a bolt file for tests that damage it on purpose. */
public final class Surgery {
    private Surgery() {
    }

    /** The meta page (0 or 1) with the higher transaction id. */
    public static int newestMeta(byte[] file) {
        long t0 = Bytes.i64(file, PageFormat.HEADER + 48);
        long t1 = Bytes.i64(file, 4096 + PageFormat.HEADER + 48);
        return t1 > t0 ? 1 : 0;
    }

    /** The high-water mark (pages) of the newest meta. */
    public static long highWater(byte[] file) {
        return Bytes.i64(file, newestMeta(file) * 4096 + PageFormat.HEADER + 40);
    }

    /** File offset of the root-page field in the value of top-level bucket {@code name} (4096-byte pages). */
    public static int bucketRootField(Path f, String name) throws Exception {
        byte[] file = Files.readAllBytes(f);
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        long pgid = Bytes.i64(file, newestMeta(file) * 4096 + PageFormat.HEADER + 16);
        while (true) {
            int off = (int) (pgid * 4096);
            int flags = Bytes.u16(file, off + 8);
            int count = Bytes.u16(file, off + 10);
            if ((flags & PageFormat.LEAF) != 0) {
                for (int i = 0; i < count; i++) {
                    int e = off + PageFormat.HEADER + i * PageFormat.LEAF_ELEMENT;
                    int pos = (int) Bytes.u32(file, e + 4);
                    int ksize = (int) Bytes.u32(file, e + 8);
                    if (Arrays.equals(file, e + pos, e + pos + ksize, key, 0, key.length)) {
                        return e + pos + ksize;
                    }
                }
                throw new IllegalStateException("no bucket " + name);
            }
            long next = -1;
            for (int i = 0; i < count; i++) {
                int e = off + PageFormat.HEADER + i * PageFormat.BRANCH_ELEMENT;
                int pos = (int) Bytes.u32(file, e);
                int ksize = (int) Bytes.u32(file, e + 4);
                if (i == 0 || Arrays.compareUnsigned(file, e + pos, e + pos + ksize, key, 0, key.length) <= 0) {
                    next = Bytes.i64(file, e + 8);
                }
            }
            pgid = next;
        }
    }

    /** File offset of the child pointer of the last element of the root branch page of top-level bucket {@code name}. */
    public static int lastBranchPointer(Path f, String name) throws Exception {
        byte[] file = Files.readAllBytes(f);
        int field = bucketRootField(f, name);
        long root = Bytes.i64(file, field);
        int off = (int) (root * 4096);
        int flags = Bytes.u16(file, off + 8);
        int count = Bytes.u16(file, off + 10);
        if ((flags & PageFormat.BRANCH) == 0) {
            throw new IllegalStateException("bucket " + name + " has a leaf root");
        }
        return off + PageFormat.HEADER + (count - 1) * PageFormat.BRANCH_ELEMENT + 8;
    }

    public static void putLong(byte[] b, int off, long v) {
        Bytes.put64(b, off, v);
    }

    public static long getLong(byte[] b, int off) {
        return Bytes.i64(b, off);
    }
}
