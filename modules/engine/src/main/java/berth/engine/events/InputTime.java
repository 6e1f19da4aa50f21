package berth.engine.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * podman's {@code util.ParseInputTime} for {@code --since} and {@code --until}: an RFC 3339 time, a
 * date-time or date without zone (UTC), unix seconds (with a fraction), or a Go duration
 * ({@code 10m}, {@code 1h30s}) counted back from now for since and forward for until.
 */
public final class InputTime {
    private InputTime() {
    }

    /** The instant, or IllegalArgumentException("unable to interpret time value"). */
    public static Instant parse(String input, boolean since, Instant now) {
        try {
            return GoTime.parseRfc3339(input).toInstant();
        } catch (IllegalArgumentException e) {
            // not RFC 3339: the other shapes follow
        }
        try {
            return LocalDateTime.parse(input).toInstant(ZoneOffset.UTC); // 2006-01-02T15:04:05[.999999999]
        } catch (DateTimeParseException e) {
            // next
        }
        Instant date = date(input);
        if (date != null) {
            return date;
        }
        if (input.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            BigDecimal secs = new BigDecimal(input);
            BigDecimal whole = new BigDecimal(secs.toBigInteger());
            return Instant.ofEpochSecond(whole.longValue(), secs.subtract(whole).movePointRight(9).longValue());
        }
        long nanos = goDuration(input);
        return since ? now.minusNanos(nanos) : now.plusNanos(nanos);
    }

    /** 2006-01-02 (UTC) or 2006-01-02Z07:00 (Go's date with a zone: Z or ±hh:mm). */
    private static Instant date(String input) {
        if (input.length() < 10) {
            return null;
        }
        LocalDate d;
        try {
            d = LocalDate.parse(input.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
        String zone = input.substring(10);
        if (zone.isEmpty() || zone.equals("Z")) {
            return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (zone.matches("[+-]\\d\\d:\\d\\d")) {
            return d.atStartOfDay().toInstant(ZoneOffset.of(zone));
        }
        return null;
    }

    /** Go's {@code time.ParseDuration}, in nanoseconds. */
    static long goDuration(String s) {
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid();
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw invalid();
            }
            double v;
            try {
                v = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw invalid();
            }
            int u = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = switch (s.substring(u, i)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw invalid();
            };
            total += v * unit;
        }
        if (total > Long.MAX_VALUE) {
            throw invalid();
        }
        return neg ? -(long) total : (long) total;
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("unable to interpret time value");
    }
}
