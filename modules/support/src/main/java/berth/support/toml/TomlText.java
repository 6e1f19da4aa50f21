package berth.support.toml;

/** A document, its name and the reading position: what the parser and the string reader share. */
final class TomlText {
    final String text;
    final String source;
    int pos;

    TomlText(String text, String source) {
        this.text = text;
        this.source = source;
    }

    void checkCharacter(char c, String where) throws TomlException {
        if (c < 0x20 && c != '\t' || c == 0x7f) {
            throw error(pos, String.format("control character U+%04X in a %s", (int) c, where));
        }
        if (Character.isLowSurrogate(c) || Character.isHighSurrogate(c)
                && (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1)))) {
            throw error(pos, "unpaired surrogate in a " + where + " (not UTF-8)");
        }
    }

    void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** What is at the position, for messages. */
    String found() {
        if (pos >= text.length()) {
            return "the end of the file";
        }
        char c = text.charAt(pos);
        if (c == '\n' || text.startsWith("\r\n", pos)) {
            return "the end of the line";
        }
        return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    TomlException error(int at, String reason) {
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
