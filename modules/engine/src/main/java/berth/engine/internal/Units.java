package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.Locale;

/** Sizes ("512m", "1g", "1048576") and CPU counts ("1.5") as podman accepts them. */
public final class Units {
    private Units() {
    }

    public static long parseBytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("k")) {
            mult = 1024L;
        } else if (t.endsWith("m")) {
            mult = 1024L * 1024;
        } else if (t.endsWith("g")) {
            mult = 1024L * 1024 * 1024;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        double v = decimal(t);
        if (v < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid size \"" + s + "\": expected a number with an optional b, k, m or g suffix");
        }
        return inRange(v * mult, "size \"" + s + "\"", "1 byte");
    }

    public static long parseNanoCpus(String s) {
        double v = decimal(s.trim());
        if (v < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --cpus \"" + s + "\": expected a positive number");
        }
        return inRange(v * 1e9, "--cpus \"" + s + "\"", "a billionth of a CPU");
    }

    /**
     * A plain decimal, ASCII digits with at most one point ("512", "1.5", ".5"), or -1: no sign, no
     * exponent and none of the NaN, Infinity, hex or "1f"/"1d" forms that Double.parseDouble takes too.
     */
    private static double decimal(String t) {
        boolean digit = false;
        boolean point = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return -1;
            }
        }
        return digit ? Double.parseDouble(t) : -1;
    }

    /** {@code v} as a long when it is at least 1 (less would be no limit: 0 means none) and fits in one. */
    private static long inRange(double v, String what, String least) {
        if (v < 1) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + ": less than " + least);
        }
        if (v >= 0x1p63) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + ": too large");
        }
        return (long) v;
    }
}
