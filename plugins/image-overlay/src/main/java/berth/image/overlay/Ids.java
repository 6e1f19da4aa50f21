package berth.image.overlay;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random 64-hex ids, as containers/storage gives read-write layers. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
