package berth.image.support.manifest;

import berth.image.support.digest.Sha256;
import java.io.IOException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 digests in the {@code sha256:HEX} form that descriptors and registries use. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private Digests() {
    }

    /** A fresh sha256 hasher, OpenSSL's where it is installed. */
    public static Sha256 sha256() {
        return Sha256.create();
    }

    /** {@code sha256:HEX} of these bytes (small ones: the JDK's hasher, which needs no native library). */
    public static String of(byte[] bytes) {
        Sha256 sha = bytes.length < 64 * 1024 ? Sha256.jdk() : Sha256.create();
        sha.update(bytes);
        return format(sha.digest());
    }

    /** {@code sha256:HEX} of a finished hasher's result. */
    public static String format(byte[] sha256) {
        return "sha256:" + HexFormat.of().formatHex(sha256);
    }

    public static boolean isValid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** The digest itself, or an IOException naming it when it is not {@code sha256:} and 64 lowercase hex digits. */
    public static String validate(String digest) throws IOException {
        if (!isValid(digest)) {
            throw new IOException("invalid digest \"" + digest + "\": expected sha256: and 64 lowercase hex digits");
        }
        return digest;
    }

    /** The hex part ({@code sha256:abc} → {@code abc}), as blob directories name files. */
    public static String hex(String digest) {
        int colon = digest.indexOf(':');
        return colon < 0 ? digest : digest.substring(colon + 1);
    }
}
