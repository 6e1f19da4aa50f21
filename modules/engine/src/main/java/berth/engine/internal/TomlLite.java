package berth.engine.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of TOML that containers.conf files use, read into plain values (Map, List, String, Long,
 * Double, Boolean): tables, dotted and quoted keys, basic and literal strings, numbers, booleans,
 * arrays over several lines and inline tables. Anything else (multi-line strings, arrays of tables,
 * dates, a syntax error) is {@link Unsupported}: the caller then hands the file to the full parser,
 * which reads the rest of TOML and words the errors. Why: jackson's TOML mapper costs a command
 * ~100 ms of class loading and initialisation (measured: {@code events} and {@code volume ls} with a
 * containers.conf that sets anything), this reader a millisecond.
 */
final class TomlLite {
    /** Not in the subset, or not TOML: let the full parser decide. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private final String s;
    private final java.util.Set<String> headers = new java.util.HashSet<>();
    private int i;

    private TomlLite(String s) {
        this.s = s;
    }

    static Map<String, Object> parse(String text) throws Unsupported {
        return new TomlLite(text).document();
    }

    private Map<String, Object> document() throws Unsupported {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> table = root;
        while (true) {
            skipBlankAndComments();
            if (i >= s.length()) {
                return root;
            }
            if (s.charAt(i) == '[') {
                if (s.startsWith("[[", i)) {
                    throw new Unsupported("array of tables");
                }
                i++;
                List<String> path = key(']');
                expect(']');
                endOfLine();
                if (!headers.add(String.join("\u0000", path))) {
                    throw new Unsupported("table defined twice"); // an error in TOML: the full parser words it
                }
                table = root;
                for (String k : path) {
                    table = child(table, k);
                }
                continue;
            }
            keyValue(table, '=');
            endOfLine();
        }
    }

    /** key = value into {@code table}; a dotted key makes (or enters) the tables on its way. */
    private void keyValue(Map<String, Object> table, char sep) throws Unsupported {
        List<String> path = key(sep);
        expect(sep);
        Map<String, Object> t = table;
        for (int k = 0; k < path.size() - 1; k++) {
            t = child(t, path.get(k));
        }
        String last = path.get(path.size() - 1);
        if (t.containsKey(last)) {
            throw new Unsupported("duplicate key " + last);
        }
        skipSpaces();
        t.put(last, value());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> t, String k) throws Unsupported {
        Object o = t.computeIfAbsent(k, x -> new LinkedHashMap<String, Object>());
        if (!(o instanceof Map)) {
            throw new Unsupported("key " + k + " is both a value and a table");
        }
        return (Map<String, Object>) o;
    }

    /** A key, possibly dotted, up to {@code end} (not consumed). */
    private List<String> key(char end) throws Unsupported {
        List<String> path = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (i >= s.length()) {
                throw new Unsupported("unterminated key");
            }
            char c = s.charAt(i);
            if (c == '"') {
                path.add(basicString());
            } else if (c == '\'') {
                path.add(literalString());
            } else {
                int start = i;
                while (i < s.length() && isBare(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw new Unsupported("bad key");
                }
                path.add(s.substring(start, i));
            }
            skipSpaces();
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                continue;
            }
            if (i >= s.length() || s.charAt(i) != end) {
                throw new Unsupported("bad key");
            }
            return path;
        }
    }

    private static boolean isBare(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    private Object value() throws Unsupported {
        if (i >= s.length()) {
            throw new Unsupported("missing value");
        }
        char c = s.charAt(i);
        if (c == '"') {
            if (s.startsWith("\"\"\"", i)) {
                throw new Unsupported("multi-line string");
            }
            return basicString();
        }
        if (c == '\'') {
            if (s.startsWith("'''", i)) {
                throw new Unsupported("multi-line string");
            }
            return literalString();
        }
        if (c == '[') {
            return array();
        }
        if (c == '{') {
            return inlineTable();
        }
        int start = i;
        while (i < s.length() && "=,]}#\n\r \t".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return scalar(s.substring(start, i));
    }

    private static Object scalar(String t) throws Unsupported {
        if (t.equals("true")) {
            return Boolean.TRUE;
        }
        if (t.equals("false")) {
            return Boolean.FALSE;
        }
        if (t.matches("[+-]?(0|[1-9](_?[0-9])*)")) {
            try {
                return Long.parseLong(t.replace("_", "").replace("+", ""));
            } catch (NumberFormatException e) {
                throw new Unsupported("integer out of range");
            }
        }
        if (t.matches("[+-]?(0|[1-9](_?[0-9])*)(\\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?")) {
            return Double.parseDouble(t.replace("_", ""));
        }
        throw new Unsupported("value " + t); // dates, hex, inf/nan, or not TOML
    }

    private List<Object> array() throws Unsupported {
        i++; // [
        List<Object> out = new ArrayList<>();
        while (true) {
            skipBlankAndComments();
            if (i >= s.length()) {
                throw new Unsupported("unterminated array");
            }
            if (s.charAt(i) == ']') {
                i++;
                return out;
            }
            out.add(value());
            skipBlankAndComments();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i >= s.length() || s.charAt(i) != ']') {
                throw new Unsupported("bad array");
            }
        }
    }

    private Map<String, Object> inlineTable() throws Unsupported {
        i++; // {
        Map<String, Object> t = new LinkedHashMap<>();
        skipSpaces();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            return t;
        }
        while (true) {
            keyValue(t, '=');
            skipSpaces();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return t;
            } else {
                throw new Unsupported("bad inline table");
            }
        }
    }

    private String basicString() throws Unsupported {
        i++; // "
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) {
                break;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    if (i + n > s.length()) {
                        throw new Unsupported("bad escape");
                    }
                    try {
                        b.appendCodePoint(Integer.parseInt(s.substring(i, i + n), 16));
                    } catch (IllegalArgumentException x) {
                        throw new Unsupported("bad escape");
                    }
                    i += n;
                }
                default -> throw new Unsupported("bad escape");
            }
        }
        throw new Unsupported("unterminated string");
    }

    private String literalString() throws Unsupported {
        int end = s.indexOf('\'', i + 1);
        int nl = s.indexOf('\n', i + 1);
        if (end < 0 || nl >= 0 && nl < end) {
            throw new Unsupported("unterminated string");
        }
        String v = s.substring(i + 1, end);
        i = end + 1;
        return v;
    }

    private void expect(char c) throws Unsupported {
        skipSpaces();
        if (i >= s.length() || s.charAt(i) != c) {
            throw new Unsupported("expected " + c);
        }
        i++;
    }

    /** After a header or a key/value: only spaces and a comment may follow on the line. */
    private void endOfLine() throws Unsupported {
        skipSpaces();
        if (i < s.length() && s.charAt(i) == '#') {
            while (i < s.length() && s.charAt(i) != '\n') {
                i++;
            }
        }
        if (s.startsWith("\r\n", i)) {
            i++;
        }
        if (i < s.length() && s.charAt(i) != '\n') {
            throw new Unsupported("text after a value");
        }
    }

    private void skipSpaces() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private void skipBlankAndComments() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' && s.startsWith("\r\n", i)) {
                i++;
            } else if (c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else {
                return;
            }
        }
    }
}
