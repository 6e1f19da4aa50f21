package berth.support.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads one TOML document, character by character, into {@link TomlTables}: the syntax (keys,
 * headers, strings and their escapes, arrays, inline tables, comments, line ends) is here, the
 * rules on defining tables there, the unquoted values in {@link TomlScalars}. Line and column are
 * worked out only for an error.
 */
final class TomlParser {
    /** Arrays and inline tables nested deeper than this are refused rather than overflowing the stack. */
    private static final int MAX_DEPTH = 1000;

    private final String text;
    private final String source;
    private final TomlTables tables = new TomlTables();
    private int pos;

    TomlParser(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static boolean isBareKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    Map<String, Object> document() throws TomlException {
        TomlTables.Table current = tables.root;
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                return TomlTables.freeze(tables.root);
            }
            char c = text.charAt(pos);
            if (c == '#' || c == '\n' || c == '\r') {
                endOfLine();
            } else if (c == '[') {
                current = header();
                endOfLine();
            } else {
                keyValue(current);
                endOfLine();
            }
        }
    }

    /** A {@code [table]} or {@code [[array of tables]]} header: the table that its keys go to. */
    private TomlTables.Table header() throws TomlException {
        int start = pos;
        boolean array = text.startsWith("[[", pos);
        pos += array ? 2 : 1;
        skipBlanks();
        List<String> keys = key();
        skipBlanks();
        if (!text.startsWith(array ? "]]" : "]", pos)) {
            throw error(pos, "expected " + (array ? "]]" : "]") + " to close the table header, found " + found());
        }
        pos += array ? 2 : 1;
        try {
            return array ? tables.arrayHeader(keys) : tables.header(keys);
        } catch (TomlTables.Clash e) {
            throw error(start, e.getMessage());
        }
    }

    /** {@code key = value} into {@code table}. */
    private void keyValue(TomlTables.Table table) throws TomlException {
        int start = pos;
        List<String> keys = key();
        skipBlanks();
        if (pos >= text.length() || text.charAt(pos) != '=') {
            throw error(pos, "expected = after the key " + TomlTables.dotted(keys) + ", found " + found());
        }
        pos++;
        skipBlanks();
        Object value = value(0);
        try {
            TomlTables.put(table, keys, value);
        } catch (TomlTables.Clash e) {
            throw error(start, e.getMessage());
        }
    }

    /** A key: bare or quoted parts joined by dots. */
    private List<String> key() throws TomlException {
        List<String> keys = new ArrayList<>(2);
        while (true) {
            keys.add(simpleKey());
            skipBlanks();
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                skipBlanks();
            } else {
                return keys;
            }
        }
    }

    private String simpleKey() throws TomlException {
        if (pos < text.length() && text.charAt(pos) == '"') {
            if (text.startsWith("\"\"\"", pos)) {
                throw error(pos, "a key cannot be a multi-line string");
            }
            return basicString();
        }
        if (pos < text.length() && text.charAt(pos) == '\'') {
            if (text.startsWith("'''", pos)) {
                throw error(pos, "a key cannot be a multi-line string");
            }
            return literalString();
        }
        int start = pos;
        while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error(pos, "expected a key, found " + found());
        }
        return text.substring(start, pos);
    }

    private Object value(int depth) throws TomlException {
        if (pos >= text.length()) {
            throw error(pos, "expected a value, found the end of the file");
        }
        if (depth > MAX_DEPTH) {
            throw error(pos, "arrays and inline tables nest deeper than " + MAX_DEPTH);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '"':
                return text.startsWith("\"\"\"", pos) ? multiLineBasicString() : basicString();
            case '\'':
                return text.startsWith("'''", pos) ? multiLineLiteralString() : literalString();
            case '[':
                return array(depth);
            case '{':
                return inlineTable(depth);
            default:
                return scalar();
        }
    }

    /** An unquoted value; a date and a time may be apart by one space. */
    private Object scalar() throws TomlException {
        int start = pos;
        while (pos < text.length() && TomlScalars.isValueChar(text.charAt(pos))) {
            pos++;
        }
        if (pos - start == 10 && text.charAt(start + 4) == '-' && pos + 3 < text.length() && text.charAt(pos) == ' '
                && isDigit(pos + 1) && isDigit(pos + 2) && text.charAt(pos + 3) == ':') {
            pos++;
            while (pos < text.length() && TomlScalars.isValueChar(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos == start) {
            throw error(pos, "expected a value, found " + found());
        }
        try {
            return TomlScalars.parse(text.substring(start, pos));
        } catch (TomlScalars.Invalid e) {
            throw error(start, e.getMessage());
        }
    }

    private boolean isDigit(int at) {
        return text.charAt(at) >= '0' && text.charAt(at) <= '9';
    }

    private List<Object> array(int depth) throws TomlException {
        pos++;
        List<Object> out = new ArrayList<>();
        while (true) {
            skipBlanksAndLines();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return Collections.unmodifiableList(out);
            }
            out.add(value(depth + 1));
            skipBlanksAndLines();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos >= text.length() || text.charAt(pos) != ']') {
                throw error(pos, "expected , or ] in an array, found " + found());
            }
        }
    }

    private Map<String, Object> inlineTable(int depth) throws TomlException {
        pos++;
        TomlTables.Table table = new TomlTables.Table(TomlTables.Origin.INLINE);
        skipBlanks();
        if (pos < text.length() && text.charAt(pos) == '}') {
            pos++;
            return TomlTables.freeze(table);
        }
        while (true) {
            skipBlanks();
            int start = pos;
            List<String> keys = key();
            skipBlanks();
            if (pos >= text.length() || text.charAt(pos) != '=') {
                throw error(pos, "expected = after the key " + TomlTables.dotted(keys) + ", found " + found());
            }
            pos++;
            skipBlanks();
            Object value = value(depth + 1);
            try {
                TomlTables.put(table, keys, value);
            } catch (TomlTables.Clash e) {
                throw error(start, e.getMessage());
            }
            skipBlanks();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return TomlTables.freeze(table);
            } else {
                throw error(pos, "expected , or } in an inline table (which must be on one line), found " + found());
            }
        }
    }

    private String basicString() throws TomlException {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r' && text.startsWith("\r\n", pos)) {
                throw error(pos, "string is not closed on its line");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c == '\\') {
                escape(b);
            } else {
                character(b);
            }
        }
    }

    private String multiLineBasicString() throws TomlException {
        int start = pos;
        pos += 3;
        skipFirstNewline();
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(start, "multi-line string is not closed");
            }
            char c = text.charAt(pos);
            if (c == '"' && text.startsWith("\"\"\"", pos)) {
                closeMultiLine('"', b);
                return b.toString();
            }
            if (c == '\\') {
                if (!lineEndingBackslash()) {
                    escape(b);
                }
            } else if (c == '\n' || c == '\r' && text.startsWith("\r\n", pos)) {
                lineEnd(b, c);
            } else {
                character(b);
            }
        }
    }

    private String literalString() throws TomlException {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r' && text.startsWith("\r\n", pos)) {
                throw error(pos, "string is not closed on its line");
            }
            if (text.charAt(pos) == '\'') {
                pos++;
                return b.toString();
            }
            character(b);
        }
    }

    private String multiLineLiteralString() throws TomlException {
        int start = pos;
        pos += 3;
        skipFirstNewline();
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(start, "multi-line string is not closed");
            }
            char c = text.charAt(pos);
            if (c == '\'' && text.startsWith("'''", pos)) {
                closeMultiLine('\'', b);
                return b.toString();
            }
            if (c == '\n' || c == '\r' && text.startsWith("\r\n", pos)) {
                lineEnd(b, c);
            } else {
                character(b);
            }
        }
    }

    /** A line end inside a multi-line string, kept as written (TOML lets a reader keep or normalise it; jackson and Go keep it). */
    private void lineEnd(StringBuilder b, char c) {
        b.append(c == '\r' ? "\r\n" : "\n");
        pos += c == '\r' ? 2 : 1;
    }

    /** At three or more quotes: up to two of them before the closing three belong to the string. */
    private void closeMultiLine(char quote, StringBuilder b) throws TomlException {
        int n = 0;
        while (pos + n < text.length() && text.charAt(pos + n) == quote) {
            n++;
        }
        if (n > 5) {
            throw error(pos, "too many quotes closing a multi-line string");
        }
        b.append(String.valueOf(quote).repeat(n - 3));
        pos += n;
    }

    private void skipFirstNewline() {
        if (text.startsWith("\n", pos)) {
            pos++;
        } else if (text.startsWith("\r\n", pos)) {
            pos += 2;
        }
    }

    /** A backslash that ends a line (blanks may follow it) in a multi-line string: it and the white space after it are dropped. */
    private boolean lineEndingBackslash() {
        int i = pos + 1;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != '\n' && !text.startsWith("\r\n", i)) {
            return false;
        }
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\n'
                || text.startsWith("\r\n", i))) {
            i += text.charAt(i) == '\r' ? 2 : 1;
        }
        pos = i;
        return true;
    }

    private void escape(StringBuilder b) throws TomlException {
        int start = pos;
        if (pos + 1 >= text.length()) {
            throw error(pos, "string is not closed");
        }
        char c = text.charAt(pos + 1);
        pos += 2;
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
                    int d = pos + i < text.length() && text.charAt(pos + i) < 0x80 ? Character.digit(text.charAt(pos + i), 16) : -1;
                    if (d < 0) {
                        throw error(start, "\\" + c + " needs " + n + " hexadecimal digits");
                    }
                    cp = cp * 16 + d;
                }
                if (cp < 0 || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                    throw error(start, "\\" + c + text.substring(pos, pos + n) + " is not a Unicode scalar value");
                }
                b.appendCodePoint(cp);
                pos += n;
            }
            default -> throw error(start, "invalid escape \\" + (c < 0x20 || c == 0x7f ? String.format("u%04x", (int) c) : c));
        }
    }

    /** One character of a string (a surrogate pair as one); control characters other than tab are refused. */
    private void character(StringBuilder b) throws TomlException {
        char c = text.charAt(pos);
        checkCharacter(c, "string");
        b.append(c);
        if (Character.isHighSurrogate(c)) {
            b.append(text.charAt(pos + 1));
            pos++;
        }
        pos++;
    }

    private void checkCharacter(char c, String where) throws TomlException {
        if (c < 0x20 && c != '\t' || c == 0x7f) {
            throw error(pos, String.format("control character U+%04X in a %s", (int) c, where));
        }
        if (Character.isLowSurrogate(c) || Character.isHighSurrogate(c)
                && (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1)))) {
            throw error(pos, "unpaired surrogate in a " + where + " (not UTF-8)");
        }
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** Blanks, comments and line ends, as between the values of an array. */
    private void skipBlanksAndLines() throws TomlException {
        while (true) {
            skipBlanks();
            if (pos < text.length() && text.charAt(pos) == '#') {
                comment();
            } else if (text.startsWith("\n", pos)) {
                pos++;
            } else if (text.startsWith("\r\n", pos)) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    /** After a value or header: blanks, a comment, then the line's end or the file's. */
    private void endOfLine() throws TomlException {
        skipBlanks();
        if (pos < text.length() && text.charAt(pos) == '#') {
            comment();
        }
        if (pos >= text.length()) {
            return;
        }
        if (text.charAt(pos) == '\n') {
            pos++;
        } else if (text.startsWith("\r\n", pos)) {
            pos += 2;
        } else {
            throw error(pos, "expected the end of the line, found " + found());
        }
    }

    private void comment() throws TomlException {
        pos++;
        while (pos < text.length() && text.charAt(pos) != '\n' && !text.startsWith("\r\n", pos)) {
            checkCharacter(text.charAt(pos), "comment");
            pos += Character.isHighSurrogate(text.charAt(pos)) ? 2 : 1;
        }
    }

    /** What is at the position, for messages. */
    private String found() {
        if (pos >= text.length()) {
            return "the end of the file";
        }
        char c = text.charAt(pos);
        if (c == '\n' || text.startsWith("\r\n", pos)) {
            return "the end of the line";
        }
        return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private TomlException error(int at, String reason) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new TomlException(source, line, at - lineStart + 1, reason);
    }
}
