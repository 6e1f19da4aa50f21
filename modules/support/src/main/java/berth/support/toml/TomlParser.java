package berth.support.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads one TOML document, character by character, into its tables: the syntax (keys,
 * headers, arrays, inline tables, comments, line ends) is here, strings in {@link TomlStrings}, the
 * rules on defining tables in {@link TomlTables}, the unquoted values in {@link TomlScalars}. Line and column are
 * worked out only for an error.
 */
final class TomlParser {
    /** Arrays and inline tables nested deeper than this are refused rather than overflowing the stack. */
    private static final int MAX_DEPTH = 1000;

    private final TomlText t;
    private final TomlStrings strings;
    private final TomlTables tables = new TomlTables();

    TomlParser(String text, String source) {
        this.t = new TomlText(text, source);
        this.strings = new TomlStrings(t);
    }

    static boolean isBareKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    Map<String, Object> document() throws TomlException {
        TomlTables.Table current = tables.root;
        while (true) {
            t.skipBlanks();
            if (t.pos >= t.text.length()) {
                return TomlTables.freeze(tables.root);
            }
            char c = t.text.charAt(t.pos);
            if (c == '#' || c == '\n' || c == '\r') {
                endOfLine();
            } else if (c == '[') {
                current = header();
                endOfLine();
            } else {
                keyValue(current, 0);
                endOfLine();
            }
        }
    }

    /** A {@code [table]} or {@code [[array of tables]]} header: the table that its keys go to. */
    private TomlTables.Table header() throws TomlException {
        int start = t.pos;
        boolean array = t.text.startsWith("[[", t.pos);
        t.pos += array ? 2 : 1;
        t.skipBlanks();
        List<String> keys = key();
        t.skipBlanks();
        if (!t.text.startsWith(array ? "]]" : "]", t.pos)) {
            throw t.error(t.pos, "expected " + (array ? "]]" : "]") + " to close the table header, found " + t.found());
        }
        t.pos += array ? 2 : 1;
        try {
            return array ? tables.arrayHeader(keys) : tables.header(keys);
        } catch (TomlTables.Clash e) {
            throw t.error(start, e.getMessage());
        }
    }

    /** {@code key = value} into {@code table}; {@code depth} is the value's nesting (inline tables and arrays). */
    private void keyValue(TomlTables.Table table, int depth) throws TomlException {
        int start = t.pos;
        List<String> keys = key();
        t.skipBlanks();
        if (t.pos >= t.text.length() || t.text.charAt(t.pos) != '=') {
            throw t.error(t.pos, "expected = after the key " + TomlTables.dotted(keys) + ", found " + t.found());
        }
        t.pos++;
        t.skipBlanks();
        Object value = value(depth);
        try {
            TomlTables.put(table, keys, value);
        } catch (TomlTables.Clash e) {
            throw t.error(start, e.getMessage());
        }
    }

    /** A key: bare or quoted parts joined by dots. */
    private List<String> key() throws TomlException {
        List<String> keys = new ArrayList<>(2);
        while (true) {
            keys.add(simpleKey());
            t.skipBlanks();
            if (t.pos < t.text.length() && t.text.charAt(t.pos) == '.') {
                t.pos++;
                t.skipBlanks();
            } else {
                return keys;
            }
        }
    }

    private String simpleKey() throws TomlException {
        if (t.pos < t.text.length() && t.text.charAt(t.pos) == '"') {
            if (t.text.startsWith("\"\"\"", t.pos)) {
                throw t.error(t.pos, "a key cannot be a multi-line string");
            }
            return strings.basic();
        }
        if (t.pos < t.text.length() && t.text.charAt(t.pos) == '\'') {
            if (t.text.startsWith("'''", t.pos)) {
                throw t.error(t.pos, "a key cannot be a multi-line string");
            }
            return strings.literal();
        }
        int start = t.pos;
        while (t.pos < t.text.length() && isBareKeyChar(t.text.charAt(t.pos))) {
            t.pos++;
        }
        if (t.pos == start) {
            throw t.error(t.pos, "expected a key, found " + t.found());
        }
        return t.text.substring(start, t.pos);
    }

    private Object value(int depth) throws TomlException {
        if (t.pos >= t.text.length()) {
            throw t.error(t.pos, "expected a value, found the end of the file");
        }
        if (depth > MAX_DEPTH) {
            throw t.error(t.pos, "arrays and inline tables nest deeper than " + MAX_DEPTH);
        }
        char c = t.text.charAt(t.pos);
        switch (c) {
            case '"':
                return t.text.startsWith("\"\"\"", t.pos) ? strings.multiLineBasic() : strings.basic();
            case '\'':
                return t.text.startsWith("'''", t.pos) ? strings.multiLineLiteral() : strings.literal();
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
        int start = t.pos;
        while (t.pos < t.text.length() && TomlScalars.isValueChar(t.text.charAt(t.pos))) {
            t.pos++;
        }
        if (t.pos - start == 10 && t.text.charAt(start + 4) == '-' && t.pos + 3 < t.text.length() && t.text.charAt(t.pos) == ' '
                && isDigit(t.pos + 1) && isDigit(t.pos + 2) && t.text.charAt(t.pos + 3) == ':') {
            t.pos++;
            while (t.pos < t.text.length() && TomlScalars.isValueChar(t.text.charAt(t.pos))) {
                t.pos++;
            }
        }
        if (t.pos == start) {
            throw t.error(t.pos, "expected a value, found " + t.found());
        }
        try {
            return TomlScalars.parse(t.text.substring(start, t.pos));
        } catch (TomlScalars.Invalid e) {
            throw t.error(start, e.getMessage());
        }
    }

    private boolean isDigit(int at) {
        return t.text.charAt(at) >= '0' && t.text.charAt(at) <= '9';
    }

    private List<Object> array(int depth) throws TomlException {
        t.pos++;
        List<Object> out = new ArrayList<>();
        while (true) {
            skipBlanksAndLines();
            if (t.pos < t.text.length() && t.text.charAt(t.pos) == ']') {
                t.pos++;
                return Collections.unmodifiableList(out);
            }
            out.add(value(depth + 1));
            skipBlanksAndLines();
            if (t.pos < t.text.length() && t.text.charAt(t.pos) == ',') {
                t.pos++;
            } else if (t.pos >= t.text.length() || t.text.charAt(t.pos) != ']') {
                throw t.error(t.pos, "expected , or ] in an array, found " + t.found());
            }
        }
    }

    private Map<String, Object> inlineTable(int depth) throws TomlException {
        t.pos++;
        TomlTables.Table table = new TomlTables.Table(TomlTables.Origin.INLINE);
        t.skipBlanks();
        if (t.pos < t.text.length() && t.text.charAt(t.pos) == '}') {
            t.pos++;
            return TomlTables.freeze(table);
        }
        while (true) {
            t.skipBlanks();
            keyValue(table, depth + 1);
            t.skipBlanks();
            if (t.pos < t.text.length() && t.text.charAt(t.pos) == ',') {
                t.pos++;
            } else if (t.pos < t.text.length() && t.text.charAt(t.pos) == '}') {
                t.pos++;
                return TomlTables.freeze(table);
            } else {
                throw t.error(t.pos, "expected , or } in an inline table (which must be on one line), found " + t.found());
            }
        }
    }













    /** Blanks, comments and line ends, as between the values of an array. */
    private void skipBlanksAndLines() throws TomlException {
        while (true) {
            t.skipBlanks();
            if (t.pos < t.text.length() && t.text.charAt(t.pos) == '#') {
                comment();
            } else if (t.text.startsWith("\n", t.pos)) {
                t.pos++;
            } else if (t.text.startsWith("\r\n", t.pos)) {
                t.pos += 2;
            } else {
                return;
            }
        }
    }

    /** After a value or header: blanks, a comment, then the line's end or the file's. */
    private void endOfLine() throws TomlException {
        t.skipBlanks();
        if (t.pos < t.text.length() && t.text.charAt(t.pos) == '#') {
            comment();
        }
        if (t.pos >= t.text.length()) {
            return;
        }
        if (t.text.charAt(t.pos) == '\n') {
            t.pos++;
        } else if (t.text.startsWith("\r\n", t.pos)) {
            t.pos += 2;
        } else {
            throw t.error(t.pos, "expected the end of the line, found " + t.found());
        }
    }

    private void comment() throws TomlException {
        t.pos++;
        while (t.pos < t.text.length() && t.text.charAt(t.pos) != '\n' && !t.text.startsWith("\r\n", t.pos)) {
            t.checkCharacter(t.text.charAt(t.pos), "comment");
            t.pos += Character.isHighSurrogate(t.text.charAt(t.pos)) ? 2 : 1;
        }
    }


}
