package berth.support;

import java.io.FileInputStream;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * Random bytes from /dev/urandom, for IDs, link names and lock tokens. A {@link SecureRandom}'s
 * first construction looks up the security providers, some 10 ms of a short command's start-up;
 * reading the kernel's pool costs one open and one read. SecureRandom stays the fallback for a
 * system without /dev/urandom.
 */
public final class RandomBytes {
    private RandomBytes() {
    }

    /** {@code n} random bytes. */
    public static byte[] of(int n) {
        byte[] b = new byte[n];
        try (FileInputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, n) == n) {
                return b;
            }
        } catch (IOException e) {
            // no /dev/urandom (a chroot without /dev): the JDK's generator below
        }
        new SecureRandom().nextBytes(b);
        return b;
    }
}
