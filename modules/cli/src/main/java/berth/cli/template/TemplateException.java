package berth.cli.template;

/**
 * A template that does not parse or cannot be executed on its data. The message is worded as Go's
 * text/template words it ({@code template: NAME:LINE:COL: ...}), because scripts written against
 * podman match on it; {@link #line()} and {@link #column()} locate the offending text.
 */
public final class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    TemplateException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the template text the error is about. */
    public int line() {
        return line;
    }

    /** 0-based byte column on that line, as Go counts it. */
    public int column() {
        return column;
    }
}
