package berth.cli.template;

/**
 * A function's failure. Go reports an argument of the wrong type as is, and an error the function
 * itself returns as "error calling NAME: ..."; {@code fromCall} tells which.
 */
final class FuncException extends Exception {
    private static final long serialVersionUID = 1L;

    final boolean fromCall;

    FuncException(String message, boolean fromCall) {
        super(message, null, false, false);
        this.fromCall = fromCall;
    }

    static FuncException call(String message) {
        return new FuncException(message, true);
    }

    static FuncException argument(String message) {
        return new FuncException(message, false);
    }
}
