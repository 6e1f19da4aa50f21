package berth.kernel.json;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes plain values as JSON: Map (any key, written with String.valueOf), Iterable, String, integral
 * numbers, other numbers as doubles, Boolean, null, {@link JsonObject}, {@link JsonWritable}, {@link RawJson} (verbatim); anything
 * else (enums included) as its toString. Non-ASCII text is written as is (the caller encodes UTF-8);
 * control characters, quotes and backslashes are escaped. Non-finite doubles, which JSON cannot
 * represent, become strings ("NaN", "Infinity"), as jackson writes them by default.
 */
final class JsonWriter {
    private static final String INDENT = "    ";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    private final boolean pretty;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static String write(Object value, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.value(value, 0);
        return w.out.toString();
    }

    private void value(Object v, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String) {
            string((String) v);
        } else if (v instanceof JsonObject) {
            map(((JsonObject) v).asMap(), depth);
        } else if (v instanceof Map) {
            map((Map<?, ?>) v, depth);
        } else if (v instanceof Iterable) {
            array(((Iterable<?>) v).iterator(), depth);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            out.append(((Number) v).longValue());
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                out.append(d);
            } else {
                string(Double.toString(d));
            }
        } else if (v instanceof Boolean) {
            out.append(((Boolean) v).booleanValue());
        } else if (v instanceof JsonWritable) {
            value(((JsonWritable) v).toJson(), depth);
        } else if (v instanceof RawJson) {
            out.append(((RawJson) v).text());
        } else {
            string(v.toString());
        }
    }

    private void map(Map<?, ?> m, int depth) {
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            string(String.valueOf(e.getKey()));
            out.append(pretty ? ": " : ":");
            value(e.getValue(), depth + 1);
        }
        newline(depth);
        out.append('}');
    }

    private void array(Iterator<?> it, int depth) {
        if (!it.hasNext()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            value(it.next(), depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (pretty) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append(INDENT);
            }
        }
    }

    private void string(String s) {
        out.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default: out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        out.append(s, start, s.length()).append('"');
    }
}
