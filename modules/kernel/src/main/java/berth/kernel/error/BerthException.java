package berth.kernel.error;

/**
 * The one checked-boundary exception of berth: a sentinel {@link ErrorCode} plus a message that
 * names the object and the cause. Unchecked so that SPIs stay small; every CLI command maps it to
 * its exit code.
 */
public class BerthException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public BerthException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public BerthException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Podman's "message: sentinel" form, e.g. "container abc is running: container state improper". */
    @Override
    public String getMessage() {
        String m = super.getMessage();
        if (m == null || m.isEmpty()) {
            return code.text();
        }
        // a hint on later lines ("See 'berth run --help'") stays last
        int nl = m.indexOf('\n');
        String first = nl < 0 ? m : m.substring(0, nl);
        String rest = nl < 0 ? "" : m.substring(nl);
        return (first.endsWith(code.text()) ? first : first + ": " + code.text()) + rest;
    }

    public int exitCode() {
        return code.exitCode();
    }

    public static BerthException of(ErrorCode code, String format, Object... args) {
        return new BerthException(code, String.format(format, args));
    }
}
