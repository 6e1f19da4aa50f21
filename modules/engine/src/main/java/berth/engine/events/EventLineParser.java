package berth.engine.events;

import java.util.Map;
import java.util.TreeMap;

/**
 * The fast path of {@link EventCodec#decode}: one flat JSON object of strings and integers with an
 * {@code Attributes} object of strings, which is every line podman or berth writes, scanned in place
 * without building the generic JSON tree. {@code events} reads thousands of lines in a JVM that has
 * not compiled anything yet, so the work per line is what its time is made of. Anything unexpected
 * (another shape, a number with a fraction, bad JSON) returns null and the generic parser decides.
 */
final class EventLineParser {
    /** The keys the parser knows, lower case; a key's index in this array is its {@link #key()} code. */
    private static final String[] KEYS = {"attributes", "containerexitcode", "time", "type", "status", "id", "name", "image",
        "network", "podid", "health_status"};
    private static final int ATTRIBUTES = 0;
    private static final int EXIT_CODE = 1;
    private static final int UNKNOWN = -1;

    private final String s;
    /** Where the line ends in {@code s}: the parser reads the log in place, one line a region. */
    private final int end;
    private int i;

    private EventLineParser(String s, int from, int to) {
        this.s = s;
        this.i = from;
        this.end = to;
    }

    static Event parse(String line) {
        return parse(line, 0, line.length());
    }

    /** The line {@code s[from, to)}, without copying it out of the log. */
    static Event parse(String s, int from, int to) {
        try {
            return new EventLineParser(s, from, to).event();
        } catch (RuntimeException e) {
            return null; // the generic parser reports what is wrong
        }
    }

    private Event event() {
        String time = "";
        String type = "";
        String status = "";
        String id = "";
        String name = "";
        String image = "";
        String network = "";
        String podId = "";
        String health = "";
        int exit = 0;
        Map<String, String> attributes = null;
        skipWs();
        expect('{');
        skipWs();
        if (peek() == '}') {
            return null;
        }
        while (true) {
            skipWs();
            int key = key();
            skipWs();
            expect(':');
            skipWs();
            char c = peek();
            if (key == ATTRIBUTES) {
                if (c == 'n') {
                    literal("null");
                } else {
                    attributes = stringMap();
                }
            } else if (key == EXIT_CODE) {
                exit = integer();
            } else if (c == '"') {
                String v = string();
                switch (key) {
                    case 2 -> time = v;
                    case 3 -> type = v;
                    case 4 -> status = v;
                    case 5 -> id = v;
                    case 6 -> name = v;
                    case 7 -> image = v;
                    case 8 -> network = v;
                    case 9 -> podId = v;
                    case 10 -> health = v;
                    default -> {
                        // a field podman's Event does not have: ignored, as Go's decoder ignores it
                    }
                }
            } else if (c == 'n') {
                literal("null");
            } else {
                return null; // numbers elsewhere, arrays, objects: the generic parser's job
            }
            skipWs();
            char sep = next();
            if (sep == '}') {
                break;
            }
            if (sep != ',') {
                return null;
            }
        }
        skipWs();
        if (i != end) {
            return null;
        }
        EventType t = EventType.of(type);
        if (t == null || time.isEmpty()) {
            return null;
        }
        return new Event(GoTime.parseRfc3339(time), t, status, id, name, image, network, exit, podId, health, attributes);
    }

    /**
     * The next key's index in {@link #KEYS}, or {@link #UNKNOWN}: matched in place, case-insensitively
     * as Go's decoder matches (for ASCII keys; one with escapes or other characters is decoded first
     * and matched as {@link String#equalsIgnoreCase} and {@link String#toLowerCase} match it).
     */
    private int key() {
        expect('"');
        int start = i;
        while (true) {
            char c = s.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\' || c >= 0x80 || c < 0x20) {
                i = start - 1;
                return slowKey(string());
            }
            i++;
        }
        int len = i - start;
        i++;
        for (int k = 0; k < KEYS.length; k++) {
            if (KEYS[k].length() == len && s.regionMatches(true, start, KEYS[k], 0, len)) {
                return k;
            }
        }
        return UNKNOWN;
    }

    private static int slowKey(String key) {
        if (key.equalsIgnoreCase("Attributes")) {
            return ATTRIBUTES;
        }
        if (key.equalsIgnoreCase("ContainerExitCode")) {
            return EXIT_CODE;
        }
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        for (int k = 2; k < KEYS.length; k++) {
            if (KEYS[k].equals(lower)) {
                return k;
            }
        }
        return UNKNOWN;
    }

    private Map<String, String> stringMap() {
        expect('{');
        TreeMap<String, String> m = new TreeMap<>();
        skipWs();
        if (peek() == '}') {
            i++;
            return Event.sortedView(m);
        }
        while (true) {
            skipWs();
            String k = string();
            skipWs();
            expect(':');
            skipWs();
            m.put(k, string());
            skipWs();
            char sep = next();
            if (sep == '}') {
                return Event.sortedView(m);
            }
            if (sep != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private String string() {
        expect('"');
        int start = i;
        while (true) {
            char c = s.charAt(i);
            if (c == '"') {
                String v = s.substring(start, i);
                i++;
                return v;
            }
            if (c == '\\') {
                return escaped(start);
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            i++;
        }
    }

    /** The rest of a string that has escapes (labels with quotes, Go's \u003c for {@code <}). */
    private String escaped(int start) {
        StringBuilder sb = new StringBuilder(s.substring(start, i));
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in string");
                }
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > end) {
                        throw new IllegalArgumentException("short \\u escape");
                    }
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private int integer() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        while (i < end && Character.isDigit(s.charAt(i))) {
            i++;
        }
        char c = peek();
        if (c == '.' || c == 'e' || c == 'E') {
            throw new IllegalArgumentException("not an integer");
        }
        return Integer.parseInt(s.substring(start, i));
    }

    private void literal(String word) {
        if (i + word.length() > end || !s.startsWith(word, i)) {
            throw new IllegalArgumentException("expected " + word);
        }
        i += word.length();
    }

    private void skipWs() {
        while (i < end) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        return i < end ? s.charAt(i) : '\0';
    }

    private char next() {
        if (i >= end) {
            throw new IllegalArgumentException("unexpected end of line");
        }
        return s.charAt(i++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
