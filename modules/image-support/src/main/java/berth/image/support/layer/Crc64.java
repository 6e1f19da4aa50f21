package berth.image.support.layer;

/**
 * CRC-64 with the ISO polynomial, as Go's {@code hash/crc64} computes it with {@code crc64.ISO}:
 * tar-split stores it, big-endian, as the integrity check of each file's content.
 */
final class Crc64 {
    private static final long ISO_REVERSED = 0xD800000000000000L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) == 1 ? (crc >>> 1) ^ ISO_REVERSED : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private long crc;

    void update(byte[] b, int off, int len) {
        long c = ~crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
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
