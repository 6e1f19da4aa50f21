package berth.bolt.db;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;

/** Little-endian field access on page buffers (bbolt writes its structs in the machine's order; amd64 and arm64 are little-endian). */
final class Bytes {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** bbolt's key order: bytes.Compare, unsigned lexicographic. */
    static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private Bytes() {
    }

    static int u16(byte[] b, int off) {
        return Short.toUnsignedInt((short) I16.get(b, off));
    }

    static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong((int) I32.get(b, off));
    }

    static long i64(byte[] b, int off) {
        return (long) I64.get(b, off);
    }

    static void put16(byte[] b, int off, int v) {
        I16.set(b, off, (short) v);
    }

    static void put32(byte[] b, int off, long v) {
        I32.set(b, off, (int) v);
    }

    static void put64(byte[] b, int off, long v) {
        I64.set(b, off, v);
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** FNV-1a, 64 bit: the checksum of a meta page. */
    static long fnv1a64(byte[] b, int off, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = off; i < off + len; i++) {
            h ^= b[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (byte x : key) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
