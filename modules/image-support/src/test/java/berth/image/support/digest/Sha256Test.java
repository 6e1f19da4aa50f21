package berth.image.support.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both hashers against java.security.MessageDigest, on random inputs fed in random pieces. */
class Sha256Test {
    private static final int[] SIZES = {0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4095, 65535, 65536, 65537, 131072,
        131073, 200_001, 1 << 20};

    private static byte[] reference(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void openSslIsUsedOnThisMachine() {
        assertTrue(OpenSslSha256.available(), "libcrypto (OpenSSL 3, libssl3) is needed: " + Sha256.nativeUnavailableReason());
        assertInstanceOf(OpenSslSha256.class, Sha256.create());
    }

    @Test
    void theOpenSslHasherAgreesWithTheJdk() throws Exception {
        assertTrue(OpenSslSha256.available(), Sha256.nativeUnavailableReason());
        check(new OpenSslSha256(), 11);
    }

    @Test
    void theJdkHasherAgreesWithTheJdk() throws Exception {
        check(Sha256.jdk(), 12);
    }

    /** Each size whole, in random pieces and a byte at a time (small ones); the hasher reused after each digest. */
    private static void check(Sha256 sha, long seed) throws Exception {
        Random r = new Random(seed);
        for (int round = 0; round < 3; round++) {
            for (int size : SIZES) {
                byte[] data = new byte[size];
                r.nextBytes(data);
                byte[] want = reference(data);
                sha.update(data);
                assertArrayEquals(want, sha.digest(), "whole, size " + size);
                for (int off = 0; off < size; ) {
                    int n = Math.min(size - off, r.nextInt(r.nextBoolean() ? 100 : 150_000) + 1);
                    sha.update(data, off, n);
                    off += n;
                }
                assertArrayEquals(want, sha.digest(), "in pieces, size " + size);
                if (size <= 65537) {
                    for (byte b : data) {
                        sha.update(b);
                    }
                    assertArrayEquals(want, sha.digest(), "byte by byte, size " + size);
                }
            }
        }
    }

    @Test
    void knownVectors() {
        Sha256 sha = Sha256.create();
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha.digestString());
        sha.update("abc".getBytes());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void theStreamsCountAndHash() throws IOException, NoSuchAlgorithmException {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        String want = "sha256:" + HexFormat.of().formatHex(reference(data));
        Sha256InputStream in = new Sha256InputStream(new ByteArrayInputStream(data));
        assertEquals(1000, in.skip(1000));
        in.read();
        in.drain();
        assertEquals(data.length, in.count());
        assertEquals(want, in.digest());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (Sha256OutputStream out = new Sha256OutputStream(sink)) {
            out.write(data[0]);
            out.write(data, 1, data.length - 1);
            assertEquals(data.length, out.count());
            assertEquals(want, out.digest());
        }
        assertArrayEquals(data, sink.toByteArray());
    }
}
