package berth.engine.events;

/**
 * A filter's quoted value ({@code "died"}) found in the log's bytes by Horspool's search: a look at
 * about one byte in the needle's length, where a line-by-line scan looks at every byte. A filtered
 * {@code events} reads only the lines that hold the rarest such needle (an event=died filter over a
 * day's log: one line in nine).
 */
final class EventNeedle {
    private final byte[] needle;
    /** How far the window moves on from the byte under its last position. */
    private final int[] shift = new int[256];

    EventNeedle(byte[] needle) {
        this.needle = needle;
        java.util.Arrays.fill(shift, needle.length);
        for (int j = 0; j < needle.length - 1; j++) {
            shift[needle[j] & 0xff] = needle.length - 1 - j;
        }
    }

    /** Where the needle first starts in {@code b[from, to)}, or -1. */
    int find(byte[] b, int from, int to) {
        byte[] n = needle;
        int last = n.length - 1;
        byte end = n[last];
        for (int i = from; i + last < to; i += shift[b[i + last] & 0xff]) {
            if (b[i + last] == end) {
                int k = 0;
                while (k < last && b[i + k] == n[k]) {
                    k++;
                }
                if (k == last) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** How many times it is in {@code b[from, to)}. */
    int count(byte[] b, int from, int to) {
        int hits = 0;
        for (int at = find(b, from, to); at >= 0; at = find(b, at + 1, to)) {
            hits++;
        }
        return hits;
    }
}
