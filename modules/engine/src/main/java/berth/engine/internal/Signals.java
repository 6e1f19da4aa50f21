package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers (Linux x86_64/aarch64). */
public final class Signals {
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
            Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
            Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
            Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {
    }

    /** Parses "TERM", "SIGTERM", "sigterm" or "15". */
    public static int parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "empty signal");
        }
        String u = s.toUpperCase(Locale.ROOT);
        if (u.startsWith("SIG")) {
            u = u.substring(3);
        }
        Integer n = BY_NAME.get(u);
        if (n != null) {
            return n;
        }
        try {
            // ASCII digits only: Integer.parseInt takes "+15" and other scripts' digits ("١٥") too
            if (!s.chars().allMatch(c -> c >= '0' && c <= '9') || s.length() > 2) {
                throw new NumberFormatException(s);
            }
            int v = Integer.parseInt(s);
            if (v >= 1 && v <= 64) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid signal \"" + s + "\"");
    }

    /**
     * {@code kill -s}: podman's reading and wording (ParseSignalNameOrNumber): one leading dash is
     * dropped, a number outside 1..64 is "valid signals are 1 through 64", anything else unknown is
     * "invalid signal: X".
     */
    public static int parseAsPodman(String s) {
        String v = s != null && s.startsWith("-") ? s.substring(1) : s == null ? "" : s;
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = v.replaceFirst("^0+(?=.)", "");
            int n = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (n >= 1 && n <= 64) {
                return n;
            }
            if (n != 0) {
                throw new BerthException(ErrorCode.USAGE, "valid signals are 1 through 64");
            }
        }
        try {
            return parse(v);
        } catch (BerthException e) {
            throw new BerthException(ErrorCode.USAGE, "invalid signal: " + v);
        }
    }

    /**
     * {@code pod kill -s}: podman reads it with the plain parser (docker's ParseSignal after one
     * leading dash is dropped): any positive number passes, 0 and unknown names are "invalid
     * signal: X". True when the signal is one to send.
     */
    public static boolean checkLoose(String s) {
        String v = s != null && s.startsWith("-") ? s.substring(1) : s == null ? "" : s;
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9') && !v.replace("0", "").isEmpty()) {
            return true;
        }
        try {
            parse(v);
            return true;
        } catch (BerthException e) {
            throw new BerthException(ErrorCode.USAGE, "invalid signal: " + v);
        }
    }
}
