package berth.image.overlay;

import berth.support.RandomBytes;

/**
 * The overlay driver's 26-character link names ({@code overlay/l/<LINK>}): random base32, so that
 * each lower directory costs few bytes of mount(2)'s one-page option string.
 */
final class ShortLinks {
    static final int LENGTH = 26;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private ShortLinks() {
    }

    static String generate() {
        byte[] random = RandomBytes.of(LENGTH);
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET.charAt(random[i] & 31); // 32 letters: five bits each, no bias
        }
        return new String(out);
    }
}
