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
        try {
            double v = Double.parseDouble(t);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid size \"" + s + "\": expected a number with an optional b, k, m or g suffix");
        }
    }

    public static long parseNanoCpus(String s) {
        try {
            double v = Double.parseDouble(s);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return (long) (v * 1e9);
        } catch (NumberFormatException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --cpus \"" + s + "\": expected a positive number");
        }
    }
}
