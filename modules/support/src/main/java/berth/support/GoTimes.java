package berth.support;

import java.time.Instant;

/**
 * Times written the way Go's {@code time.Time} marshals them ({@code RFC3339Nano} in UTC), for the
 * files podman reads and compares byte for byte. Go trims the fraction's trailing zeros
 * ({@code .98013598Z}); {@link Instant#toString()} pads it to 3, 6 or 9 digits
 * ({@code .980135980Z}), so records written with it differ from podman's in one run out of ten.
 */
public final class GoTimes {
    private GoTimes() {
    }

    /** {@code 2026-12-03T18:27:18.98013598Z}: no fraction when the nanoseconds are zero. */
    public static String rfc3339Nano(Instant t) {
        String s = t.toString();
        int dot = s.lastIndexOf('.');
        if (dot < 0) {
            return s;
        }
        int end = s.length() - 1; // the 'Z' Instant always ends with
        int last = end - 1;
        while (last > dot && s.charAt(last) == '0') {
            last--;
        }
        return last == dot ? s.substring(0, dot) + "Z" : s.substring(0, last + 1) + "Z";
    }
}
