package berth.image.overlay;

import berth.support.RandomBytes;
import java.util.HexFormat;

/** Random 64-hex ids, as containers/storage gives read-write layers. */
final class Ids {
    private Ids() {
    }

    static String random() {
        return HexFormat.of().formatHex(RandomBytes.of(32));
    }
}
