package berth.support.toml;

/**
 * TOML's four kinds of string, read at the cursor: basic (with its escapes, {@code \\uXXXX} and
 * {@code \\UXXXXXXXX} as Unicode scalar values), literal, and their multi-line forms (the first line
 * end dropped, a line-ending backslash joining lines, up to two quotes before the closing three).
 */
final class TomlStrings {
    private final TomlText t;

    TomlStrings(TomlText t) {
        this.t = t;
    }

    String basic() throws TomlException {
        t.pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (t.pos >= t.text.length() || t.text.charAt(t.pos) == '\n' || t.text.charAt(t.pos) == '\r' && t.text.startsWith("\r\n", t.pos)) {
                throw t.error(t.pos, "string is not closed on its line");
            }
            char c = t.text.charAt(t.pos);
            if (c == '"') {
                t.pos++;
                return b.toString();
            }
            if (c == '\\') {
                escape(b);
            } else {
                character(b);
            }
        }
    }

    String multiLineBasic() throws TomlException {
        int start = t.pos;
        t.pos += 3;
        skipFirstNewline();
        StringBuilder b = new StringBuilder();
        while (true) {
            if (t.pos >= t.text.length()) {
                throw t.error(start, "multi-line string is not closed");
            }
            char c = t.text.charAt(t.pos);
            if (c == '"' && t.text.startsWith("\"\"\"", t.pos)) {
                closeMultiLine('"', b);
                return b.toString();
            }
            if (c == '\\') {
                if (!lineEndingBackslash()) {
                    escape(b);
                }
            } else if (c == '\n' || c == '\r' && t.text.startsWith("\r\n", t.pos)) {
                lineEnd(b, c);
            } else {
                character(b);
            }
        }
    }

    String literal() throws TomlException {
        t.pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (t.pos >= t.text.length() || t.text.charAt(t.pos) == '\n' || t.text.charAt(t.pos) == '\r' && t.text.startsWith("\r\n", t.pos)) {
                throw t.error(t.pos, "string is not closed on its line");
            }
            if (t.text.charAt(t.pos) == '\'') {
                t.pos++;
                return b.toString();
            }
            character(b);
        }
    }

    String multiLineLiteral() throws TomlException {
        int start = t.pos;
        t.pos += 3;
        skipFirstNewline();
        StringBuilder b = new StringBuilder();
        while (true) {
            if (t.pos >= t.text.length()) {
                throw t.error(start, "multi-line string is not closed");
            }
            char c = t.text.charAt(t.pos);
            if (c == '\'' && t.text.startsWith("'''", t.pos)) {
                closeMultiLine('\'', b);
                return b.toString();
            }
            if (c == '\n' || c == '\r' && t.text.startsWith("\r\n", t.pos)) {
                lineEnd(b, c);
            } else {
                character(b);
            }
        }
    }

    /** A line end inside a multi-line string, kept as written (TOML lets a reader keep or normalise it; jackson and Go keep it). */
    private void lineEnd(StringBuilder b, char c) {
        b.append(c == '\r' ? "\r\n" : "\n");
        t.pos += c == '\r' ? 2 : 1;
    }

    /** At three or more quotes: up to two of them before the closing three belong to the string. */
    private void closeMultiLine(char quote, StringBuilder b) throws TomlException {
        int n = 0;
        while (t.pos + n < t.text.length() && t.text.charAt(t.pos + n) == quote) {
            n++;
        }
        if (n > 5) {
            throw t.error(t.pos, "too many quotes closing a multi-line string");
        }
        b.append(String.valueOf(quote).repeat(n - 3));
        t.pos += n;
    }

    private void skipFirstNewline() {
        if (t.text.startsWith("\n", t.pos)) {
            t.pos++;
        } else if (t.text.startsWith("\r\n", t.pos)) {
            t.pos += 2;
        }
    }

    /** A backslash that ends a line (blanks may follow it) in a multi-line string: it and the white space after it are dropped. */
    private boolean lineEndingBackslash() {
        int i = t.pos + 1;
        while (i < t.text.length() && (t.text.charAt(i) == ' ' || t.text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= t.text.length() || t.text.charAt(i) != '\n' && !t.text.startsWith("\r\n", i)) {
            return false;
        }
        while (i < t.text.length() && (t.text.charAt(i) == ' ' || t.text.charAt(i) == '\t' || t.text.charAt(i) == '\n'
                || t.text.startsWith("\r\n", i))) {
            i += t.text.charAt(i) == '\r' ? 2 : 1;
        }
        t.pos = i;
        return true;
    }

    private void escape(StringBuilder b) throws TomlException {
        int start = t.pos;
        if (t.pos + 1 >= t.text.length()) {
            throw t.error(t.pos, "string is not closed");
        }
        char c = t.text.charAt(t.pos + 1);
        t.pos += 2;
        switch (c) {
            case 'b' -> b.append('\b');
            case 't' -> b.append('\t');
            case 'n' -> b.append('\n');
            case 'f' -> b.append('\f');
            case 'r' -> b.append('\r');
            case '"' -> b.append('"');
            case '\\' -> b.append('\\');
            case 'u', 'U' -> {
                int n = c == 'u' ? 4 : 8;
                int cp = 0;
                for (int i = 0; i < n; i++) {
                    int d = t.pos + i < t.text.length() && t.text.charAt(t.pos + i) < 0x80 ? Character.digit(t.text.charAt(t.pos + i), 16) : -1;
                    if (d < 0) {
                        throw t.error(start, "\\" + c + " needs " + n + " hexadecimal digits");
                    }
                    cp = cp * 16 + d;
                }
                if (cp < 0 || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                    throw t.error(start, "\\" + c + t.text.substring(t.pos, t.pos + n) + " is not a Unicode scalar value");
                }
                b.appendCodePoint(cp);
                t.pos += n;
            }
            default -> throw t.error(start, "invalid escape \\" + (c < 0x20 || c == 0x7f ? String.format("u%04x", (int) c) : c));
        }
    }

    /** One character of a string (a surrogate pair as one); control characters other than tab are refused. */
    private void character(StringBuilder b) throws TomlException {
        char c = t.text.charAt(t.pos);
        t.checkCharacter(c, "string");
        b.append(c);
        if (Character.isHighSurrogate(c)) {
            b.append(t.text.charAt(t.pos + 1));
            t.pos++;
        }
        t.pos++;
    }
}
