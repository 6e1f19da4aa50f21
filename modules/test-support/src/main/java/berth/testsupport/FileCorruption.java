package berth.testsupport;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Damage for a database file made of fixed-size pages (bolt's, SQLite's), as the corruption fuzzers
 * of both state stores apply it, and a tally of how each try went.
 */
public final class FileCorruption {
    private final Map<String, Integer> outcomes = new TreeMap<>();

    /** A few bytes changed in a few pages; the page header, where the structure is, half of the time. */
    public static byte[] flippedBytes(Fuzz.Gen g, byte[] template, int pageSize) {
        Random random = g.random();
        int pages = g.intIn(1, 6);
        byte[] bad = template.clone();
        int pageCount = bad.length / pageSize;
        for (int p = 0; p < pages; p++) {
            int page = random.nextInt(pageCount);
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                int at = page * pageSize + (random.nextBoolean() ? random.nextInt(64) : random.nextInt(pageSize));
                switch (random.nextInt(3)) {
                    case 0 -> bad[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> bad[at] = (byte) random.nextInt(256);
                    default -> bad[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                }
            }
        }
        return bad;
    }

    /** A length to cut the file to (at a page boundary or not) or to grow it to with zeroes. */
    public static int truncatedOrGrownLength(Fuzz.Gen g, int length, int pageSize) {
        Random random = g.random();
        return g.bool() ? pageSize * random.nextInt(length / pageSize + 3) : random.nextInt(length + pageSize);
    }

    /** Counts one try's outcome ("open refused", "read, added", ...). */
    public synchronized void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** The tally as text, and a fresh start for the next test. */
    public synchronized String drain() {
        String s = outcomes.toString();
        outcomes.clear();
        return s;
    }
}
