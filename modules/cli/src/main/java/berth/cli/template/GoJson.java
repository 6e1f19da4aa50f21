package berth.cli.template;

import java.util.List;
import java.util.Map;

/**
 * The json template function: Go's encoding/json with HTML escaping off, as podman configures it.
 * Numbers are written as Go writes them (1234567.0 is 1234567, 0.00001 stays decimal). Maps keep
 * their own order rather than Go's sorted keys: berth's maps stand for podman's structs, whose
 * fields Go writes in declaration order.
 */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        value(sb, Values.plain(v));
        return sb.toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean || Values.isInteger(v)) {
            sb.append(v);
        } else if (v instanceof Number n) {
            number(sb, n.doubleValue(), v instanceof Float);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                value(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                value(sb, l.get(i));
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    /** Go: 'f' format, or 'e' below 1e-6 and from 1e21, with "e-07" shortened to "e-7". */
    private static void number(StringBuilder sb, double d, boolean isFloat32) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            // Go's Marshal fails on these; a string keeps the output JSON
            string(sb, GoFloat.format(d, 'g', -1, isFloat32));
            return;
        }
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String e = GoFloat.format(d, 'e', -1, isFloat32);
            int at = e.indexOf('e');
            if (e.length() - at == 4 && e.charAt(at + 2) == '0') {
                e = e.substring(0, at + 2) + e.charAt(at + 3);
            }
            sb.append(e);
        } else {
            sb.append(GoFloat.format(d, 'f', -1, isFloat32));
        }
    }

    /** Go's encodeState.string with escapeHTML false. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
