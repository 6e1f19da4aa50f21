package berth.image.support.digest;

import java.util.HexFormat;

/**
 * A SHA-256 hasher for one thread. {@link #create()} picks OpenSSL's implementation when
 * libcrypto is on the machine (it uses the CPU's SHA extensions: about ten times the JDK's speed
 * under the CLI's C1-only JVM), else the JDK's; both give the same digests.
 */
public sealed interface Sha256 permits OpenSslSha256, JdkSha256 {
    /** Set to {@code jdk} to keep to the JDK's implementation (tests, comparisons). */
    String IMPLEMENTATION_PROPERTY = "berth.sha256";

    /** The fastest hasher available. */
    static Sha256 create() {
        if (!"jdk".equals(System.getProperty(IMPLEMENTATION_PROPERTY)) && OpenSslSha256.available()) {
            return new OpenSslSha256();
        }
        return new JdkSha256();
    }

    /** The JDK's hasher, whatever is installed. */
    static Sha256 jdk() {
        return new JdkSha256();
    }

    /** Whether {@link #create()} gives OpenSSL's hasher on this machine, or why not. */
    static String nativeUnavailableReason() {
        return OpenSslSha256.unavailableReason();
    }

    void update(byte[] b, int off, int len);

    default void update(byte[] b) {
        update(b, 0, b.length);
    }

    default void update(byte b) {
        update(new byte[] {b}, 0, 1);
    }

    /** The 32-byte digest of everything given since creation or the last digest; the hasher starts afresh. */
    byte[] digest();

    /** {@link #digest()} as {@code sha256:HEX}. */
    default String digestString() {
        return "sha256:" + HexFormat.of().formatHex(digest());
    }
}
