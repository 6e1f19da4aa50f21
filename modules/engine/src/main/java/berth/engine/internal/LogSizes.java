package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --log-opt max-size=SIZE}: read as go-units' FromHumanSize (powers of 1000, as podman does) and
 * shown as its HumanSize ({@code 1.015MB}: four significant digits, no space), for inspect's LogConfig.Size.
 */
final class LogSizes {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?\\s*");
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private LogSizes() {
    }

    /** The max-size of {@code --log-opt} values in bytes, 0 when none is given. */
    static long maxSize(List<String> logOptions) {
        long size = 0;
        for (String opt : logOptions) {
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            if (!key.equals("max-size")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --log-opt \"" + opt + "\": berth knows max-size=SIZE only");
            }
            Matcher m = SIZE.matcher(eq < 0 ? "" : opt.substring(eq + 1));
            if (!m.matches()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --log-opt \"" + opt + "\": invalid size");
            }
            int power = m.group(2).isEmpty() ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
            size = Math.round(Double.parseDouble(m.group(1)) * Math.pow(1000, power));
        }
        return size;
    }

    /** go-units' HumanSize: "1.015MB", "0B". */
    static String human(long bytes) {
        double size = bytes;
        int i = 0;
        while (size >= 1000 && i < UNITS.length - 1) {
            size /= 1000;
            i++;
        }
        return new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros().toPlainString() + UNITS[i];
    }
}
