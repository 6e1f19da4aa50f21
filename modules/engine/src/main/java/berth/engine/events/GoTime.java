package berth.engine.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as podman's Go code writes them: RFC 3339 with nanoseconds and trailing zeros trimmed in
 * the log ({@code time.RFC3339Nano}), and {@code Time.String()} ({@code 2006-01-02 15:04:05.999999999 -0700 MST})
 * in the default output. Hand-written: {@code events} formats and parses every line of the log, and
 * java.time's formatters cost microseconds a call.
 */
public final class GoTime {
    private static ZoneId localZone;
    private static volatile Boolean utcLocal;

    private GoTime() {
    }

    /** Now, with the local zone's offset (Go's {@code time.Now()} in the log). */
    public static OffsetDateTime now() {
        Instant now = Instant.now();
        return localIsUtc() ? now.atOffset(ZoneOffset.UTC) : now.atOffset(local().getRules().getOffset(now));
    }

    private static ZoneId local() {
        ZoneId z = localZone;
        if (z == null) {
            z = ZoneId.systemDefault();
            localZone = z;
        }
        return z;
    }

    /**
     * Whether Go's Local is UTC, decided as Go decides it (TZ, else /etc/localtime, a missing one
     * meaning UTC) from the variable and the link alone. Every event's time needs the local offset, and
     * java.time's default zone costs tens of milliseconds on first use (it reads the whole tz
     * database): too much for each {@code run}. Only a zone other than UTC pays for it.
     */
    static boolean localIsUtc() {
        Boolean u = utcLocal;
        if (u == null) {
            u = utcZoneName(System.getenv("TZ"), Path.of("/etc/localtime"));
            utcLocal = u;
        }
        return u;
    }

    static boolean utcZoneName(String tz, Path localtime) {
        if (tz != null) {
            String name = tz.startsWith(":") ? tz.substring(1) : tz;
            return name.isEmpty() || isUtcName(name);
        }
        try {
            return isUtcName(Files.readSymbolicLink(localtime).toString());
        } catch (NoSuchFileException e) {
            return true; // Go: no /etc/localtime is UTC
        } catch (IOException | UnsupportedOperationException e) {
            return false; // a copied file, not a link: ask java.time
        }
    }

    private static boolean isUtcName(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        boolean etc = !name.contains("/") || name.endsWith("Etc/" + n) || name.equals(n) || name.endsWith("zoneinfo/" + n);
        return etc && (n.equals("UTC") || n.equals("UCT") || n.equals("Universal") || n.equals("Zulu") || n.equals("GMT")
                || n.equals("GMT0") || n.equals("GMT+0") || n.equals("GMT-0") || n.equals("Greenwich"));
    }

    /** RFC3339Nano: {@code 2026-12-03T12:00:00.12345Z}, {@code ...+02:00}. */
    public static void appendRfc3339Nano(StringBuilder sb, OffsetDateTime t) {
        appendDate(sb, t, 'T');
        appendFraction(sb, t.getNano());
        int off = t.getOffset().getTotalSeconds();
        if (off == 0) {
            sb.append('Z');
        } else {
            appendOffset(sb, off, true);
        }
    }

    public static String rfc3339Nano(OffsetDateTime t) {
        StringBuilder sb = new StringBuilder(35);
        appendRfc3339Nano(sb, t);
        return sb.toString();
    }

    /**
     * Go's {@code Time.String()} of a time read from the log: the zone is UTC for offset zero, the
     * local zone's abbreviation when the offset is the local one, else the bare offset twice.
     */
    public static String display(OffsetDateTime t) {
        StringBuilder sb = new StringBuilder(48);
        appendDisplay(sb, t);
        return sb.toString();
    }

    /** {@link #display}, appended to {@code sb}. */
    public static void appendDisplay(StringBuilder sb, OffsetDateTime t) {
        appendDate(sb, t, ' ');
        appendFraction(sb, t.getNano());
        int off = t.getOffset().getTotalSeconds();
        sb.append(' ');
        appendOffset(sb, off, false);
        sb.append(' ');
        if (off == 0) {
            sb.append("UTC");
        } else if (!localIsUtc() && local().getRules().getOffset(t.toInstant()).getTotalSeconds() == off) {
            sb.append(DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(t.atZoneSameInstant(local())));
        } else {
            appendOffset(sb, off, false);
        }
    }

    private static void appendDate(StringBuilder sb, OffsetDateTime t, char sep) {
        pad(sb, t.getYear(), 4);
        sb.append('-');
        pad(sb, t.getMonthValue(), 2);
        sb.append('-');
        pad(sb, t.getDayOfMonth(), 2);
        sb.append(sep);
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
        sb.append(':');
        pad(sb, t.getSecond(), 2);
    }

    /** ".999999999" with trailing zeros trimmed; nothing for a whole second. */
    private static void appendFraction(StringBuilder sb, int nanos) {
        if (nanos == 0) {
            return;
        }
        int digits = 9;
        while (nanos % 10 == 0) {
            nanos /= 10;
            digits--;
        }
        sb.append('.');
        pad(sb, nanos, digits);
    }

    private static void appendOffset(StringBuilder sb, int seconds, boolean colon) {
        sb.append(seconds < 0 ? '-' : '+');
        int abs = Math.abs(seconds);
        pad(sb, abs / 3600, 2);
        if (colon) {
            sb.append(':');
        }
        pad(sb, abs / 60 % 60, 2);
    }

    /** {@code v} in at least {@code width} digits, zero-padded; digit by digit, without a String per field. */
    private static void pad(StringBuilder sb, int v, int width) {
        if (v < 0) { // a year before 0: Integer.toString's text, padded in front as before
            String text = Integer.toString(v);
            for (int i = text.length(); i < width; i++) {
                sb.append('0');
            }
            sb.append(text);
            return;
        }
        int digits = 1;
        for (int p = 10; digits < 10 && v >= p; p *= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            sb.append('0');
        }
        int div = 1;
        for (int i = 1; i < digits; i++) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            sb.append((char) ('0' + v / div % 10));
        }
    }

    /** An RFC 3339 time with optional fraction (as Go's {@code time.Parse(RFC3339Nano, ...)} reads it). */
    public static OffsetDateTime parseRfc3339(String s) {
        OffsetDateTime fast = parseFast(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("parsing time \"" + s + "\" as RFC 3339: " + e.getMessage(), e);
        }
    }

    /** The common shape, YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|±HH:MM), without java.time's parser; null for anything else. */
    private static OffsetDateTime parseFast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return null;
            }
            nanos = digits(s, start, len);
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0) {
                return null;
            }
            int total = oh * 3600 + om * 60;
            offset = ZoneOffset.ofTotalSeconds(s.charAt(i) == '-' ? -total : total);
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
