package berth.cli;

import java.math.BigDecimal;
import java.math.MathContext;

/** Sizes as podman prints them (go-units' decimal HumanSizeWithPrecision): {@code 7.34 MB}, {@code 512 B}. */
final class Sizes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Sizes() {
    }

    /** With {@code precision} significant digits (podman's images: 3; progress: 4), trailing zeros dropped as Go's %g does. */
    static String human(double size, int precision) {
        int i = 0;
        while (size >= 1000 && i < UNITS.length - 1) {
            size /= 1000;
            i++;
        }
        BigDecimal d = new BigDecimal(size).round(new MathContext(precision));
        String s = d.stripTrailingZeros().toPlainString();
        return s + " " + UNITS[i];
    }

    static String human(long size) {
        return human(size, 3);
    }
}
