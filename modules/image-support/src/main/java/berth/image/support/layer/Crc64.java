package berth.image.support.layer;

/**
 * CRC-64 with the ISO polynomial, as Go's {@code hash/crc64} computes it with {@code crc64.ISO}:
 * tar-split stores it, big-endian, as the integrity check of each file's content. Eight bytes a
 * step through eight tables (slicing-by-8, as Go does for long inputs): a pull computes it over
 * every byte of every file, and a byte at a time cost a third of a pull's CPU under C1.
 */
final class Crc64 {
    private static final long ISO_REVERSED = 0xD800000000000000L;
    /** TABLES[k][b]: the CRC of byte b followed by k zero bytes. */
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) == 1 ? (crc >>> 1) ^ ISO_REVERSED : crc >>> 1;
            }
            TABLES[0][i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLES[0][i];
            for (int k = 1; k < 8; k++) {
                crc = TABLES[0][(int) crc & 0xff] ^ (crc >>> 8);
                TABLES[k][i] = crc;
            }
        }
    }

    private long crc;

    void update(byte[] b, int off, int len) {
        long[] t0 = TABLES[0];
        long[] t1 = TABLES[1];
        long[] t2 = TABLES[2];
        long[] t3 = TABLES[3];
        long[] t4 = TABLES[4];
        long[] t5 = TABLES[5];
        long[] t6 = TABLES[6];
        long[] t7 = TABLES[7];
        long c = ~crc;
        int i = off;
        int end = off + len;
        for (; end - i >= 8; i += 8) {
            long x = c ^ ((b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56);
            c = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff] ^ t5[(int) (x >>> 16) & 0xff] ^ t4[(int) (x >>> 24) & 0xff]
                    ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff] ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56)];
        }
        for (; i < end; i++) {
            c = t0[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
        }
        crc = ~c;
    }

    void reset() {
        crc = 0;
    }

    /** The 8 bytes Go's {@code Sum(nil)} returns. */
    byte[] sum() {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (crc >>> (56 - 8 * i));
        }
        return out;
    }
}
