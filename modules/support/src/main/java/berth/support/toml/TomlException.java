package berth.support.toml;

/**
 * A TOML document that cannot be read: where (the source's name, a line and a column, both from 1)
 * and why. Checked, so that each caller turns it into its own error naming the file.
 */
public final class TomlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;
    private final int column;
    private final String reason;

    public TomlException(String source, int line, int column, String reason) {
        super(source + " line " + line + ", column " + column + ": " + reason);
        this.source = source;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** The file (or other name) the document came from. */
    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** What is wrong, without the place. */
    public String reason() {
        return reason;
    }
}
