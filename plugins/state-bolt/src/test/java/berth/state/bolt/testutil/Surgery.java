package berth.state.bolt.testutil;


import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds bytes in a bolt file for tests that damage it on purpose. It reads the page format itself
 * (little-endian fields, bbolt's page and element layout) so the format module keeps its internals.
 */
public final class Surgery {
    private static final int HEADER = 16;
    private static final int ELEMENT = 16;
    private static final int BRANCH = 0x01;
    private static final int LEAF = 0x02;
    private static final java.lang.invoke.VarHandle LE16 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LE32 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LE64 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);

    private Surgery() {
    }

    private static int u16(byte[] b, int off) {
        return Short.toUnsignedInt((short) LE16.get(b, off));
    }

    private static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong((int) LE32.get(b, off));
    }

    private static long i64(byte[] b, int off) {
        return (long) LE64.get(b, off);
    }

    /** The meta page (0 or 1) with the higher transaction id. */
    public static int newestMeta(byte[] file) {
        long t0 = i64(file, HEADER + 48);
        long t1 = i64(file, 4096 + HEADER + 48);
        return t1 > t0 ? 1 : 0;
    }

    /** The high-water mark (pages) of the newest meta. */
    public static long highWater(byte[] file) {
        return i64(file, newestMeta(file) * 4096 + HEADER + 40);
    }

    /** File offset of the root-page field in the value of top-level bucket {@code name} (4096-byte pages). */
    public static int bucketRootField(Path f, String name) throws Exception {
        byte[] file = Files.readAllBytes(f);
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        long pgid = i64(file, newestMeta(file) * 4096 + HEADER + 16);
        while (true) {
            int off = (int) (pgid * 4096);
            int flags = u16(file, off + 8);
            int count = u16(file, off + 10);
            if ((flags & LEAF) != 0) {
                for (int i = 0; i < count; i++) {
                    int e = off + HEADER + i * ELEMENT;
                    int pos = (int) u32(file, e + 4);
                    int ksize = (int) u32(file, e + 8);
                    if (Arrays.equals(file, e + pos, e + pos + ksize, key, 0, key.length)) {
                        return e + pos + ksize;
                    }
                }
                throw new IllegalStateException("no bucket " + name);
            }
            long next = -1;
            for (int i = 0; i < count; i++) {
                int e = off + HEADER + i * ELEMENT;
                int pos = (int) u32(file, e);
                int ksize = (int) u32(file, e + 4);
                if (i == 0 || Arrays.compareUnsigned(file, e + pos, e + pos + ksize, key, 0, key.length) <= 0) {
                    next = i64(file, e + 8);
                }
            }
            pgid = next;
        }
    }

    /** File offset of the child pointer of the last element of the root branch page of top-level bucket {@code name}. */
    public static int lastBranchPointer(Path f, String name) throws Exception {
        byte[] file = Files.readAllBytes(f);
        int field = bucketRootField(f, name);
        long root = i64(file, field);
        int off = (int) (root * 4096);
        int flags = u16(file, off + 8);
        int count = u16(file, off + 10);
        if ((flags & BRANCH) == 0) {
            throw new IllegalStateException("bucket " + name + " has a leaf root");
        }
        return off + HEADER + (count - 1) * ELEMENT + 8;
    }

    public static void putLong(byte[] b, int off, long v) {
        LE64.set(b, off, v);
    }

    public static long getLong(byte[] b, int off) {
        return i64(b, off);
    }
}
