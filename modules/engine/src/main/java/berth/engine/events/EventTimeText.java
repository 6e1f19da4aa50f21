package berth.engine.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The Time field of a plain event line, checked and split where it lies in the log's bytes:
 * {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z}, a valid date and time (as {@link OffsetDateTime#of} checks).
 * Any other shape (another zone, a bad date) is left to the decoder. One instance per
 * {@link EventLineScan}, reused from line to line.
 */
final class EventTimeText {
    private static final int[] AT = {0, 5, 8, 11, 14, 17};

    /** Year, month, day, hour, minute, second. */
    final int[] date = new int[6];
    /** The fraction's digits in the log, trailing zeros trimmed (none: a whole second). */
    int fractionStart;
    int fractionEnd;

    /** Reads the field's text, {@code b[s..e)}; false when it is not of the plain shape. */
    boolean read(byte[] b, int s, int e) {
        if (e - s < 20 || b[s + 4] != '-' || b[s + 7] != '-' || b[s + 10] != 'T' || b[s + 13] != ':' || b[s + 16] != ':'
                || b[e - 1] != 'Z') {
            return false;
        }
        for (int k = 0; k < 6; k++) {
            int v = digits(b, s + AT[k], k == 0 ? 4 : 2);
            if (v < 0) {
                return false;
            }
            date[k] = v;
        }
        int month = date[1];
        if (month < 1 || month > 12 || date[2] < 1 || date[2] > monthLength(date[0], month) || date[3] > 23 || date[4] > 59
                || date[5] > 59) {
            return false;
        }
        int f = s + 19;
        fractionStart = f;
        fractionEnd = f;
        if (f == e - 1) {
            return true;
        }
        if (b[f] != '.' || e - 1 - (f + 1) > 9 || e - 1 == f + 1 || digits(b, f + 1, e - 1 - (f + 1)) < 0) {
            return false;
        }
        int last = e - 1;
        while (last > f + 1 && b[last - 1] == '0') {
            last--;
        }
        fractionStart = f + 1;
        fractionEnd = last; // all zeros: none, a whole second
        return true;
    }

    /** The time last read, for an {@link Event}. */
    OffsetDateTime toOffsetDateTime(byte[] b) {
        int nanos = digits(b, fractionStart, fractionEnd - fractionStart);
        for (int k = fractionEnd - fractionStart; k < 9; k++) {
            nanos *= 10;
        }
        return OffsetDateTime.of(date[0], date[1], date[2], date[3], date[4], date[5], nanos, ZoneOffset.UTC);
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal number of {@code len} digits at {@code from}; -1 when one is not a digit. */
    private static int digits(byte[] b, int from, int len) {
        int v = 0;
        for (int k = from; k < from + len; k++) {
            int c = b[k];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
