package berth.image.support.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The JDK's SHA-256: always there. */
final class JdkSha256 implements Sha256 {
    private final MessageDigest md;

    JdkSha256() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void update(byte[] b, int off, int len) {
        md.update(b, off, len);
    }

    @Override
    public void update(byte b) {
        md.update(b);
    }

    @Override
    public byte[] digest() {
        return md.digest();
    }
}
