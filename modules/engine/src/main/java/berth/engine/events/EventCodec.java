package berth.engine.events;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as one line of podman's file backend: the JSON that Go's {@code json.Marshal} makes of
 * podman's {@code events.Event} (field order, omitted empty fields, {@code "Attributes":null}, Go's
 * escaping of {@code <>&}), so that podman reads berth's log and berth reads podman's.
 */
public final class EventCodec {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventCodec() {
    }

    /** The line, without its newline. */
    public static String encode(Event e) {
        StringBuilder sb = new StringBuilder(256);
        encode(e, sb);
        return sb.toString();
    }

    /** {@link #encode(Event)}, appended to {@code sb}. */
    public static void encode(Event e, StringBuilder sb) {
        sb.append('{');
        if (e.exitCode() != 0) {
            sb.append("\"ContainerExitCode\":").append(e.exitCode()).append(',');
        }
        field(sb, "ID", e.id());
        field(sb, "Image", e.image());
        field(sb, "Name", e.name());
        field(sb, "network", e.network());
        sb.append("\"Status\":");
        string(sb, e.status());
        sb.append(",\"Time\":\"");
        GoTime.appendRfc3339Nano(sb, e.time());
        sb.append("\",\"Type\":");
        string(sb, e.type().text());
        sb.append(',');
        field(sb, "health_status", e.healthStatus());
        field(sb, "PodID", e.podId());
        sb.append("\"Attributes\":");
        if (e.attributes() == null) {
            sb.append("null");
        } else {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, a.getKey());
                sb.append(':');
                string(sb, a.getValue());
            }
            sb.append('}');
        }
        sb.append('}');
    }

    private static void field(StringBuilder sb, String key, String value) {
        if (!value.isEmpty()) {
            sb.append('"').append(key).append("\":");
            string(sb, value);
            sb.append(',');
        }
    }

    /** Go's encoding/json string: HTML-safe ({@code <>&} as \\u escapes), U+2028/2029 escaped, \\b and \\f as \\u00XX. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))) {
                        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
                            sb.append(c);
                        } else {
                            sb.append('\ufffd'); // Go writes invalid UTF-8 as the replacement character
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * A line of the log. Keys match as Go's decoder matches them, case-insensitively; unknown keys
     * are ignored. A malformed line, or an unknown type, is an {@link IllegalArgumentException}
     * naming what is wrong (podman stops reading there too).
     */
    public static Event decode(String line) {
        Event fast = EventLineParser.parse(line);
        return fast != null ? fast : decodeGeneric(line);
    }

    /** {@link #decode(String)} of the line {@code log[from, to)}, read in place unless it needs the generic parser. */
    static Event decode(String log, int from, int to) {
        Event fast = EventLineParser.parse(log, from, to);
        return fast != null ? fast : decodeGeneric(log.substring(from, to));
    }

    static Event decodeGeneric(String line) {
        JsonObject o;
        try {
            o = Json.parseObject(line);
        } catch (Json.MalformedJsonException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        Map<String, Object> m = o.asMap();
        Map<String, Object> lower = new LinkedHashMap<>();
        for (Map.Entry<String, Object> en : m.entrySet()) {
            lower.putIfAbsent(en.getKey().toLowerCase(java.util.Locale.ROOT), en.getValue());
        }
        String typeText = text(lower, "type");
        EventType type = EventType.of(typeText);
        if (type == null) {
            throw new IllegalArgumentException("event type " + typeText + " is not valid");
        }
        String time = text(lower, "time");
        if (time.isEmpty()) {
            throw new IllegalArgumentException("event without a time");
        }
        Object exit = lower.get("containerexitcode");
        Object attrs = lower.get("attributes");
        Map<String, String> attributes = null;
        if (attrs instanceof Map<?, ?> am) {
            attributes = new LinkedHashMap<>();
            for (Map.Entry<?, ?> a : am.entrySet()) {
                attributes.put(String.valueOf(a.getKey()), a.getValue() == null ? "" : String.valueOf(a.getValue()));
            }
        }
        return new Event(GoTime.parseRfc3339(time), type, text(lower, "status"), text(lower, "id"), text(lower, "name"),
                text(lower, "image"), text(lower, "network"), exit instanceof Number n ? n.intValue() : 0, text(lower, "podid"),
                text(lower, "health_status"), attributes);
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s ? s : "";
    }
}
