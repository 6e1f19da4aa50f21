package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sliced CRC-64/ISO against its catalogue check value and a byte-at-a-time reference. */
class Crc64Test {
    /** The textbook form: one byte a step, reflected ISO polynomial. */
    private static long reference(byte[] b, int off, int len, long crc) {
        long c = ~crc;
        for (int i = off; i < off + len; i++) {
            c ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) == 1 ? (c >>> 1) ^ 0xD800000000000000L : c >>> 1;
            }
        }
        return ~c;
    }

    @Test
    void theCatalogueCheckValue() {
        Crc64 crc = new Crc64();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9);
        // CRC-64/GO-ISO's check value, as Go's crc64.Checksum([]byte("123456789"), crc64.MakeTable(crc64.ISO))
        assertEquals(0xb90956c775a41001L, ByteBuffer.wrap(crc.sum()).getLong());
    }

    @Test
    void agreesWithTheReferenceInAnyPieces() {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 100, 4096, 100_003}) {
            byte[] data = new byte[size];
            r.nextBytes(data);
            long want = reference(data, 0, size, 0);
            Crc64 crc = new Crc64();
            for (int off = 0; off < size; ) {
                int n = Math.min(size - off, r.nextInt(40) + 1);
                crc.update(data, off, n);
                off += n;
            }
            assertArrayEquals(ByteBuffer.allocate(8).putLong(want).array(), crc.sum(), "size " + size);
            crc.reset();
            crc.update(data, 0, size);
            assertArrayEquals(ByteBuffer.allocate(8).putLong(want).array(), crc.sum(), "size " + size);
        }
    }
}
