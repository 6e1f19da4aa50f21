package berth.engine.events;

import java.util.TreeMap;

/**
 * One log line read in place in the log's bytes, as offsets of its fields: the lines podman and berth
 * write (one flat object of plain ASCII strings, an optional integer exit code, an {@code Attributes}
 * object of strings in Go's sorted key order, a UTC time) are printed from these offsets without an
 * {@link Event}, a String or a map per line. {@link #scan} refuses anything else (escapes, non-ASCII
 * text, {@code <>&}, other values, another time zone, unsorted labels), and such a line goes the
 * {@link EventCodec#decode} way, which reads every line: the two ways print the same.
 *
 * <p>One instance per thread, reused from line to line.
 */
final class EventLineScan {
    /** The string fields, by index: {@code start[k]..end[k]} in the log, -1 when absent. */
    static final int TIME = 0;
    static final int TYPE = 1;
    static final int STATUS = 2;
    static final int ID = 3;
    static final int NAME = 4;
    static final int IMAGE = 5;
    static final int NETWORK = 6;
    static final int POD_ID = 7;
    static final int HEALTH = 8;
    private static final int ATTRIBUTES = 9;
    private static final int EXIT_CODE = 10;
    private static final int UNKNOWN = -1;
    /** The keys, lower case, at their field's index (Go's decoder matches them case-insensitively). */
    private static final byte[][] KEYS = {bytes("time"), bytes("type"), bytes("status"), bytes("id"), bytes("name"), bytes("image"),
        bytes("network"), bytes("podid"), bytes("health_status"), bytes("attributes"), bytes("containerexitcode")};
    private static final EventType[] TYPES = EventType.values();
    /**
     * The bytes a plain string holds, which both ways print as they are: not the quote that ends it, an
     * escape, a control character, {@code <>&} (Go's encoder escapes them) or any byte of a non-ASCII
     * character (a newline, a control character, ends the line's scan too).
     */
    private static final boolean[] PLAIN = new boolean[256];
    private static final byte[][] TYPE_TEXTS = new byte[TYPES.length][];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
        }
        for (int t = 0; t < TYPES.length; t++) {
            TYPE_TEXTS[t] = bytes(TYPES[t].text());
        }
    }

    byte[] b;
    final int[] start = new int[9];
    final int[] end = new int[9];
    EventType type;
    int exitCode;
    /** Whether the line has an Attributes object (not null): a container's labels, maybe none. */
    boolean hasAttributes;
    /** The labels: key start, key end, value start, value end, four ints a label, in key order. */
    int[] labels = new int[32];
    int labelCount;
    /** The Time field's parts, read by {@link #scan}. */
    final EventTimeText time = new EventTimeText();

    private int i;
    private int to;

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Reads the line that starts at {@code from}, up to its newline or {@code limit}: the line's end
     * (the newline's index, or {@code limit}), or -1 when the line is not of the plain shape (see
     * above). Finding the end while reading saves a pass over the log for its newlines.
     */
    int scan(byte[] log, int from, int limit) {
        return line(log, from, limit) ? i : -1;
    }

    private boolean line(byte[] log, int from, int limit) {
        this.b = log;
        this.i = from;
        this.to = limit;
        for (int k = 0; k < start.length; k++) {
            start[k] = -1;
            end[k] = -1;
        }
        exitCode = 0;
        hasAttributes = false;
        labelCount = 0;
        int seen = 0;
        skipWs();
        if (next() != '{') {
            return false;
        }
        skipWs();
        if (peek() == '}') {
            return false;
        }
        while (true) {
            skipWs();
            int key = key();
            if (key == -2) {
                return false;
            }
            if (key >= 0) {
                if ((seen & 1 << key) != 0) {
                    return false; // a key twice: which one counts is the decoder's to say
                }
                seen |= 1 << key;
            }
            skipWs();
            if (next() != ':') {
                return false;
            }
            skipWs();
            int c = peek();
            if (key == ATTRIBUTES) {
                if (c == 'n') {
                    if (!literalNull()) {
                        return false;
                    }
                } else if (!labels()) {
                    return false;
                }
            } else if (key == EXIT_CODE) {
                if (!integer()) {
                    return false;
                }
            } else if (c == '"') {
                int s = ++i;
                if (!string()) {
                    return false;
                }
                if (key >= 0) {
                    start[key] = s;
                    end[key] = i - 1;
                }
            } else {
                return false; // null, numbers, arrays, objects: the decoder's
            }
            skipWs();
            int sep = next();
            if (sep == '}') {
                break;
            }
            if (sep != ',') {
                return false;
            }
        }
        skipWs();
        return (i == to || b[i] == '\n') && type() && plainTime();
    }

    private boolean type() {
        int s = start[TYPE];
        if (s < 0) {
            return false;
        }
        for (int t = 0; t < TYPES.length; t++) {
            if (same(s, end[TYPE], TYPE_TEXTS[t])) {
                type = TYPES[t];
                return true;
            }
        }
        return false;
    }

    private boolean same(int s, int e, byte[] text) {
        if (e - s != text.length) {
            return false;
        }
        for (int k = 0; k < text.length; k++) {
            if (b[s + k] != text[k]) {
                return false;
            }
        }
        return true;
    }

    /** The Time field, when it is plain (see {@link EventTimeText#read}). */
    private boolean plainTime() {
        return start[TIME] >= 0 && time.read(b, start[TIME], end[TIME]);
    }

    /** The next key's field index, {@link #UNKNOWN}, or -2 when it is not a plain string. */
    private int key() {
        if (next() != '"') {
            return -2;
        }
        int s = i;
        if (!string()) {
            return -2;
        }
        int len = i - 1 - s;
        for (int k = 0; k < KEYS.length; k++) {
            byte[] key = KEYS[k];
            if (key.length == len && sameIgnoringCase(s, key)) {
                return k;
            }
        }
        return UNKNOWN;
    }

    private boolean sameIgnoringCase(int s, byte[] lower) {
        for (int k = 0; k < lower.length; k++) {
            int c = b[s + k];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Skips a string whose opening quote is read, to just after its closing one; false for what only
     * the decoder reads as the encoder would write it: escapes, control and non-ASCII bytes, {@code <>&}.
     */
    private boolean string() {
        byte[] b = this.b;
        int to = this.to;
        int k = i;
        // one table look-up a byte: this loop reads most of the log, first in the interpreter
        while (k < to && PLAIN[b[k] & 0xff]) {
            k++;
        }
        if (k < to && b[k] == '"') {
            i = k + 1;
            return true;
        }
        return false;
    }

    /** {"k":"v",...} with keys in ascending order (as Go writes a map, and as Event keeps it). */
    private boolean labels() {
        if (next() != '{') {
            return false;
        }
        hasAttributes = true;
        labelCount = 0;
        skipWs();
        if (peek() == '}') {
            i++;
            return true;
        }
        while (true) {
            skipWs();
            if (next() != '"') {
                return false;
            }
            int ks = i;
            if (!string()) {
                return false;
            }
            int ke = i - 1;
            skipWs();
            if (next() != ':') {
                return false;
            }
            skipWs();
            if (next() != '"') {
                return false;
            }
            int vs = i;
            if (!string()) {
                return false;
            }
            if (labelCount > 0 && compare(labels[(labelCount - 1) * 4], labels[(labelCount - 1) * 4 + 1], ks, ke) >= 0) {
                return false; // out of order or repeated: the decoder's map sorts and keeps the last
            }
            if (labelCount * 4 + 4 > labels.length) {
                labels = java.util.Arrays.copyOf(labels, labels.length * 2);
            }
            int at = labelCount++ * 4;
            labels[at] = ks;
            labels[at + 1] = ke;
            labels[at + 2] = vs;
            labels[at + 3] = i - 1;
            skipWs();
            int sep = next();
            if (sep == '}') {
                return true;
            }
            if (sep != ',') {
                return false;
            }
        }
    }

    /** ASCII text compared as String.compareTo compares it. */
    private int compare(int as, int ae, int bs, int be) {
        int n = Math.min(ae - as, be - bs);
        for (int k = 0; k < n; k++) {
            int d = b[as + k] - b[bs + k];
            if (d != 0) {
                return d;
            }
        }
        return (ae - as) - (be - bs);
    }

    /** An int of at most 9 digits, as the decoder reads it. */
    private boolean integer() {
        boolean negative = peek() == '-';
        if (negative) {
            i++;
        }
        int s = i;
        int v = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int c = peek();
        if (i == s || i - s > 9 || c == '.' || c == 'e' || c == 'E') {
            return false;
        }
        exitCode = negative ? -v : v;
        return true;
    }

    private boolean literalNull() {
        if (i + 4 <= to && b[i] == 'n' && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
            i += 4;
            return true;
        }
        return false;
    }

    /** JSON's whitespace but the newline, which ends the line. */
    private void skipWs() {
        while (i < to) {
            int c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private int peek() {
        return i < to ? b[i] : 0;
    }

    private int next() {
        return i < to ? b[i++] : 0;
    }

    boolean has(int field) {
        return end[field] > start[field];
    }

    /** Whether the field's text (absent: "") is {@code value}. */
    boolean equals(int field, String value) {
        return Math.max(0, end[field]) - Math.max(0, start[field]) == value.length() && startsWith(field, value);
    }

    /** Whether the field's text (absent: "") starts with {@code value}. */
    boolean startsWith(int field, String value) {
        return startsWith(Math.max(0, start[field]), Math.max(0, end[field]), value);
    }

    /** Whether the labels hold {@code key} with {@code value} (the text is ASCII: a char is a byte). */
    boolean hasLabel(String key, String value) {
        for (int k = 0; k < labelCount * 4; k += 4) {
            if (labels[k + 1] - labels[k] == key.length() && startsWith(labels[k], labels[k + 1], key)) {
                return labels[k + 3] - labels[k + 2] == value.length() && startsWith(labels[k + 2], labels[k + 3], value);
            }
        }
        return false;
    }

    private boolean startsWith(int s, int e, String value) {
        if (e - s < value.length()) {
            return false;
        }
        for (int k = 0; k < value.length(); k++) {
            if (b[s + k] != value.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The line as an {@link Event}, for a filter to test (the ASCII text read as it is). */
    Event event() {
        TreeMap<String, String> attributes = null;
        if (hasAttributes) {
            attributes = new TreeMap<>();
            for (int k = 0; k < labelCount * 4; k += 4) {
                attributes.put(text(labels[k], labels[k + 1]), text(labels[k + 2], labels[k + 3]));
            }
        }
        return new Event(time.toOffsetDateTime(b), type, field(STATUS), field(ID), field(NAME), field(IMAGE), field(NETWORK), exitCode, field(POD_ID),
                field(HEALTH), attributes == null ? null : Event.sortedView(attributes));
    }

    private String field(int k) {
        return start[k] < 0 ? "" : text(start[k], end[k]);
    }

    @SuppressWarnings("deprecation")
    private String text(int s, int e) {
        return new String(b, 0, s, e - s); // ASCII: one byte a char, no decoder
    }
}
