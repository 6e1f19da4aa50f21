package berth.kernel.json;

import berth.kernel.json.Json.MalformedJsonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser from text to plain values: Map (insertion-ordered), List, String, Long,
 * Double, Boolean and null. Duplicate keys keep the last value; integers beyond a long are refused.
 *
 * <p>Why not jackson's parser: on JDK 25 its first use initialises {@code java.math.BigDecimal}
 * (jackson's parser base holds BigDecimal limits), whose static initialiser costs about 5 ms — 5 % of
 * a whole {@code podman run}, paid by every berth command. Reading JSON needs no big numbers, so this
 * parser is checked against jackson instead (JsonReaderTest parses the same documents with both).
 */
final class JsonReader {
    static final int MAX_DEPTH = 200;

    private final String s;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.s = text;
    }

    static Object parse(String text) throws MalformedJsonException {
        JsonReader r = new JsonReader(text);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            r.pos = 1; // a byte-order mark is tolerated, as jackson does
        }
        r.skipWhitespace();
        if (r.pos >= text.length()) {
            throw new MalformedJsonException("empty document", null);
        }
        Object v = r.value();
        r.skipWhitespace();
        if (r.pos < text.length()) {
            throw r.error("trailing content after the JSON value");
        }
        return v;
    }

    private Object value() throws MalformedJsonException {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character " + describe(c));
        }
    }

    private Map<String, Object> object() throws MalformedJsonException {
        enter();
        pos++; // {
        Map<String, Object> m = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos >= s.length() ? "unterminated object" : "expected a field name in double quotes");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            m.put(name, value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ',') {
                continue;
            }
            if (c == '}') {
                depth--;
                return m;
            }
            pos--;
            throw error(pos >= s.length() ? "unterminated object" : "expected ',' or '}' in object");
        }
    }

    private List<Object> array() throws MalformedJsonException {
        enter();
        pos++; // [
        List<Object> l = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return l;
        }
        while (true) {
            skipWhitespace();
            l.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ',') {
                continue;
            }
            if (c == ']') {
                depth--;
                return l;
            }
            pos--;
            throw error(pos >= s.length() ? "unterminated array" : "expected ',' or ']' in array");
        }
    }

    private void enter() throws MalformedJsonException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() throws MalformedJsonException {
        pos++; // opening quote
        int start = pos;
        // fast path: no escapes
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                return s.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder b = new StringBuilder(pos - start + 16).append(s, start, pos);
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character " + describe(c) + " in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= s.length()) {
                break;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u': b.append(hex4()); break;
                default:
                    pos--;
                    throw error("invalid escape \\" + e + " in a string");
            }
        }
        throw error("unterminated string");
    }

    private char hex4() throws MalformedJsonException {
        if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char c = s.charAt(pos);
            int d = c < 0x80 ? Character.digit(c, 16) : -1; // ASCII hex only: Character.digit takes '\u0661' and the like
            if (d < 0) {
                throw error("invalid hex digit " + describe(s.charAt(pos)) + " in a \\u escape");
            }
            v = v << 4 | d;
            pos++;
        }
        return (char) v; // surrogate pairs arrive as two escapes and join in the builder
    }

    private Object number() throws MalformedJsonException {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zeroes are not allowed in numbers");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("expected a digit after '-'");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            digits();
        }
        String text = s.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("integer " + text + " is out of the range of a 64-bit signed integer");
            }
        }
        return Double.parseDouble(text);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object v) throws MalformedJsonException {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected character " + describe(s.charAt(pos)) + " (expected " + word + ")");
        }
        pos += word.length();
        return v;
    }

    private void expect(char c) throws MalformedJsonException {
        if (peek() != c) {
            throw error(pos >= s.length() ? "unexpected end of input" : "expected '" + c + "'");
        }
        pos++;
    }

    /** The character at the cursor, or NUL past the end (NUL matches nothing the grammar expects). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + Integer.toHexString(0x10000 | c).substring(1).toUpperCase();
    }

    /** An error naming the line and column (1-based) of the cursor. */
    private MalformedJsonException error(String what) {
        int line = 1;
        int col = 1;
        int end = Math.min(pos, s.length());
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new MalformedJsonException(what + " at line " + line + ", column " + col, null);
    }
}
