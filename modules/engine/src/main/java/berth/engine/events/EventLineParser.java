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
    private final String s;
    private int i;

    private EventLineParser(String s) {
        this.s = s;
    }

    static Event parse(String line) {
        try {
            return new EventLineParser(line).event();
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
            String key = string();
            skipWs();
            expect(':');
            skipWs();
            char c = peek();
            if (key.equalsIgnoreCase("Attributes")) {
                if (c == 'n') {
                    literal("null");
                } else {
                    attributes = stringMap();
                }
            } else if (key.equalsIgnoreCase("ContainerExitCode")) {
                exit = integer();
            } else if (c == '"') {
                String v = string();
                switch (key.toLowerCase(java.util.Locale.ROOT)) {
                    case "time" -> time = v;
                    case "type" -> type = v;
                    case "status" -> status = v;
                    case "id" -> id = v;
                    case "name" -> name = v;
                    case "image" -> image = v;
                    case "network" -> network = v;
                    case "podid" -> podId = v;
                    case "health_status" -> health = v;
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
        if (i != s.length()) {
            return null;
        }
        EventType t = EventType.of(type);
        if (t == null || time.isEmpty()) {
            return null;
        }
        return new Event(GoTime.parseRfc3339(time), t, status, id, name, image, network, exit, podId, health, attributes);
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
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        char c = peek();
        if (c == '.' || c == 'e' || c == 'E') {
            throw new IllegalArgumentException("not an integer");
        }
        return Integer.parseInt(s.substring(start, i));
    }

    private void literal(String word) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException("expected " + word);
        }
        i += word.length();
    }

    private void skipWs() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() {
        return s.charAt(i++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
