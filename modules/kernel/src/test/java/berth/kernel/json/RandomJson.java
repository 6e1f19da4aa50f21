package berth.kernel.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random plain values for the codec's tests: nesting, big and small numbers, escapes, non-ASCII text. */
final class RandomJson {
    private RandomJson() {
    }

    static Object value(Random r, int depth) {
        switch (r.nextInt(depth > 4 ? 6 : 8)) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextLong() >> r.nextInt(64);
            case 3: return r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 4:
            case 5: return string(r);
            case 6: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    l.add(value(r, depth + 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put(string(r), value(r, depth + 1));
                }
                return m;
            }
        }
    }

    static String string(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            switch (r.nextInt(5)) {
                case 0: b.append((char) r.nextInt(0x20)); break;             // control characters
                case 1: b.append("\"\\/".charAt(r.nextInt(3))); break;
                case 2: b.appendCodePoint(0x80 + r.nextInt(0x700)); break;  // two-byte UTF-8
                case 3: b.appendCodePoint(0x1F600 + r.nextInt(50)); break;  // surrogate pairs
                default: b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }
}
