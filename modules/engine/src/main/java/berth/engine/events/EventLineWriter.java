package berth.engine.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A part's output as UTF-8 bytes: lines printed from an {@link EventLineScan} as
 * {@link Event#appendHumanReadable} and {@link EventCodec#encode} print them (byte for byte; the
 * scan admits only text that both print as it is), and any other text, encoded.
 */
final class EventLineWriter {
    private static final byte[][] TYPE_TEXTS = new byte[EventType.values().length][];
    private static final byte[] UTC = ascii(" +0000 UTC ");
    private static final byte[] IMAGE_IS = ascii(" (image=");
    private static final byte[] NAME_IS = ascii(", name=");
    private static final byte[] POD_ID_IS = ascii(", pod_id=");
    private static final byte[] HEALTH_IS = ascii(", health_status=");
    private static final byte[] CONTAINER_IS = ascii(" (container=");
    private static final byte[] EXIT_CODE_KEY = ascii("{\"ContainerExitCode\":");
    private static final byte[] ID_KEY = ascii("\"ID\":\"");
    private static final byte[] IMAGE_KEY = ascii("\"Image\":\"");
    private static final byte[] NAME_KEY = ascii("\"Name\":\"");
    private static final byte[] NETWORK_KEY = ascii("\"network\":\"");
    private static final byte[] STATUS_KEY = ascii("\"Status\":\"");
    private static final byte[] TIME_KEY = ascii("\",\"Time\":\"");
    private static final byte[] TYPE_KEY = ascii("Z\",\"Type\":\"");
    private static final byte[] HEALTH_KEY = ascii("\"health_status\":\"");
    private static final byte[] POD_ID_KEY = ascii("\"PodID\":\"");
    private static final byte[] ATTRIBUTES_NULL = ascii("\"Attributes\":null}");
    private static final byte[] ATTRIBUTES_KEY = ascii("\"Attributes\":{");

    static {
        for (EventType t : EventType.values()) {
            TYPE_TEXTS[t.ordinal()] = ascii(t.text());
        }
    }

    private byte[] buf;
    private int len;

    EventLineWriter(int capacity) {
        buf = new byte[Math.max(256, capacity)];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Empties the buffer, once written. */
    void clear() {
        len = 0;
    }

    /** podman's default line ({@link Event#appendHumanReadable}), and a newline. */
    void human(EventLineScan s, boolean truncate) {
        byte[] log = s.b;
        // the longest fixed text is under 64 bytes a field
        room(64 * 6 + size(s, EventLineScan.ID) * 2 + size(s, EventLineScan.STATUS) + size(s, EventLineScan.NAME)
                + size(s, EventLineScan.IMAGE) + size(s, EventLineScan.NETWORK) + size(s, EventLineScan.POD_ID)
                + size(s, EventLineScan.HEALTH) + labelsSize(s));
        time(s, (byte) ' ');
        put(UTC);
        put(TYPE_TEXTS[s.type.ordinal()]);
        buf[len++] = ' ';
        field(s, EventLineScan.STATUS);
        switch (s.type) {
            case CONTAINER, POD -> {
                buf[len++] = ' ';
                id(s, truncate);
                put(IMAGE_IS);
                field(s, EventLineScan.IMAGE);
                put(NAME_IS);
                field(s, EventLineScan.NAME);
                if (s.has(EventLineScan.POD_ID)) {
                    put(POD_ID_IS);
                    field(s, EventLineScan.POD_ID);
                }
                if (s.has(EventLineScan.HEALTH)) {
                    put(HEALTH_IS);
                    field(s, EventLineScan.HEALTH);
                }
                int[] l = s.labels;
                for (int k = 0; k < s.labelCount * 4; k += 4) {
                    buf[len++] = ',';
                    buf[len++] = ' ';
                    copy(log, l[k], l[k + 1]);
                    buf[len++] = '=';
                    copy(log, l[k + 2], l[k + 3]);
                }
                buf[len++] = ')';
            }
            case NETWORK -> {
                buf[len++] = ' ';
                id(s, truncate);
                put(CONTAINER_IS);
                id(s, truncate);
                put(NAME_IS);
                field(s, EventLineScan.NETWORK);
                buf[len++] = ')';
            }
            case IMAGE -> {
                buf[len++] = ' ';
                id(s, truncate);
                buf[len++] = ' ';
                field(s, EventLineScan.NAME);
            }
            case SYSTEM -> {
                if (s.has(EventLineScan.NAME)) {
                    buf[len++] = ' ';
                    field(s, EventLineScan.NAME);
                }
            }
            case VOLUME, MACHINE -> {
                buf[len++] = ' ';
                field(s, EventLineScan.NAME);
            }
        }
        buf[len++] = '\n';
    }

    /** The line as podman's encoder writes it ({@link EventCodec#encode}), and a newline. */
    void json(EventLineScan s) {
        byte[] log = s.b;
        room(64 * 12 + size(s, EventLineScan.ID) + size(s, EventLineScan.STATUS) + size(s, EventLineScan.NAME)
                + size(s, EventLineScan.IMAGE) + size(s, EventLineScan.NETWORK) + size(s, EventLineScan.POD_ID)
                + size(s, EventLineScan.HEALTH) + labelsSize(s) + s.labelCount * 6);
        if (s.exitCode != 0) {
            put(EXIT_CODE_KEY);
            integer(s.exitCode);
            buf[len++] = ',';
        } else {
            buf[len++] = '{';
        }
        jsonField(s, EventLineScan.ID, ID_KEY);
        jsonField(s, EventLineScan.IMAGE, IMAGE_KEY);
        jsonField(s, EventLineScan.NAME, NAME_KEY);
        jsonField(s, EventLineScan.NETWORK, NETWORK_KEY);
        put(STATUS_KEY);
        field(s, EventLineScan.STATUS);
        put(TIME_KEY);
        time(s, (byte) 'T');
        put(TYPE_KEY);
        put(TYPE_TEXTS[s.type.ordinal()]);
        buf[len++] = '"';
        buf[len++] = ',';
        jsonField(s, EventLineScan.HEALTH, HEALTH_KEY);
        jsonField(s, EventLineScan.POD_ID, POD_ID_KEY);
        if (!s.hasAttributes) {
            put(ATTRIBUTES_NULL);
        } else {
            put(ATTRIBUTES_KEY);
            int[] l = s.labels;
            for (int k = 0; k < s.labelCount * 4; k += 4) {
                if (k > 0) {
                    buf[len++] = ',';
                }
                buf[len++] = '"';
                copy(log, l[k], l[k + 1]);
                buf[len++] = '"';
                buf[len++] = ':';
                buf[len++] = '"';
                copy(log, l[k + 2], l[k + 3]);
                buf[len++] = '"';
            }
            buf[len++] = '}';
            buf[len++] = '}';
        }
        buf[len++] = '\n';
    }

    /** Any other text (a line rendered from its Event), as UTF-8. */
    void text(CharSequence text) {
        byte[] b = text.toString().getBytes(StandardCharsets.UTF_8);
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void jsonField(EventLineScan s, int field, byte[] key) {
        if (s.has(field)) {
            put(key);
            field(s, field);
            buf[len++] = '"';
            buf[len++] = ',';
        }
    }

    /** {@code 2026-12-01T08:00:00.5} (sep 'T') or with a space, the fraction's trailing zeros trimmed. */
    private void time(EventLineScan s, byte sep) {
        int t = s.start[EventLineScan.TIME];
        System.arraycopy(s.b, t, buf, len, 19);
        buf[len + 10] = sep;
        len += 19;
        if (s.time.fractionEnd > s.time.fractionStart) {
            buf[len++] = '.';
            copy(s.b, s.time.fractionStart, s.time.fractionEnd);
        }
    }

    /** containers/storage's {@code stringid.TruncateID} when asked: no algorithm prefix, 12 characters. */
    private void id(EventLineScan s, boolean truncate) {
        int from = s.start[EventLineScan.ID];
        int to = s.end[EventLineScan.ID];
        if (from < 0) {
            return;
        }
        if (truncate) {
            for (int k = from; k < to; k++) {
                if (s.b[k] == ':') {
                    from = k + 1;
                    break;
                }
            }
            to = Math.min(to, from + 12);
        }
        copy(s.b, from, to);
    }

    private void field(EventLineScan s, int field) {
        if (s.start[field] >= 0) {
            copy(s.b, s.start[field], s.end[field]);
        }
    }

    private static int size(EventLineScan s, int field) {
        return s.end[field] - s.start[field];
    }

    private static int labelsSize(EventLineScan s) {
        int n = 0;
        int[] l = s.labels;
        for (int k = 0; k < s.labelCount * 4; k += 4) {
            n += l[k + 1] - l[k] + l[k + 3] - l[k + 2] + 4;
        }
        return n;
    }

    private void integer(int v) {
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int div = 1;
        while (div <= v / 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            buf[len++] = (byte) ('0' + v / div % 10);
        }
    }

    private void put(byte[] text) {
        System.arraycopy(text, 0, buf, len, text.length);
        len += text.length;
    }

    private void copy(byte[] from, int start, int end) {
        int n = end - start;
        System.arraycopy(from, start, buf, len, n);
        len += n;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
