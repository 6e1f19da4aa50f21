package berth.support.toml;

/**
 * The unquoted values of TOML: booleans, integers (decimal, {@code 0x}, {@code 0o}, {@code 0b}, with
 * underscores between digits), floats (with {@code inf} and {@code nan}) and dates and times
 * (RFC 3339, kept as text). A value that is none of them, or out of 64-bit range, is refused with the
 * reason.
 */
final class TomlScalars {
    /** An unquoted value that is not one; the message is the reason. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private TomlScalars() {
    }

    /** Whether {@code c} can be part of an unquoted value. */
    static boolean isValueChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '+' || c == '-'
                || c == '.' || c == ':';
    }

    static Object parse(String t) throws Invalid {
        switch (t) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan":
                return Double.NaN;
            default:
                break;
        }
        if (t.length() >= 10 && t.charAt(4) == '-' || t.length() >= 8 && t.charAt(2) == ':') {
            return dateTime(t);
        }
        if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'o' || t.charAt(1) == 'b')) {
            int radix = t.charAt(1) == 'x' ? 16 : t.charAt(1) == 'o' ? 8 : 2;
            String digits = digits(t.substring(2), radix, t);
            try {
                return Long.parseLong(digits, radix);
            } catch (NumberFormatException e) {
                throw new Invalid("integer " + t + " is out of the 64-bit range");
            }
        }
        return decimal(t);
    }

    /** A decimal integer or a float. */
    private static Object decimal(String t) throws Invalid {
        int i = t.startsWith("+") || t.startsWith("-") ? 1 : 0;
        int end = i;
        while (end < t.length() && t.charAt(end) != '.' && t.charAt(end) != 'e' && t.charAt(end) != 'E') {
            end++;
        }
        String whole = digits(t.substring(i, end), 10, t);
        if (whole.length() > 1 && whole.charAt(0) == '0') {
            throw new Invalid("invalid number " + t + ": leading zeros are not allowed");
        }
        if (end == t.length()) {
            try {
                return Long.parseLong(t.substring(0, i) + whole);
            } catch (NumberFormatException e) {
                throw new Invalid("integer " + t + " is out of the 64-bit range");
            }
        }
        StringBuilder f = new StringBuilder(t.substring(0, i)).append(whole);
        if (t.charAt(end) == '.') {
            int e = end + 1;
            while (e < t.length() && t.charAt(e) != 'e' && t.charAt(e) != 'E') {
                e++;
            }
            f.append('.').append(digits(t.substring(end + 1, e), 10, t));
            end = e;
        }
        if (end < t.length()) {
            String exp = t.substring(end + 1);
            int s = exp.startsWith("+") || exp.startsWith("-") ? 1 : 0;
            f.append('e').append(exp, 0, s).append(digits(exp.substring(s), 10, t));
        }
        double d = Double.parseDouble(f.toString());
        if (Double.isInfinite(d)) {
            throw new Invalid("float " + t + " is out of the 64-bit range");
        }
        return d;
    }

    /** {@code s} without its underscores, when it is digits of {@code radix} with single underscores between them. */
    private static String digits(String s, int radix, String token) throws Invalid {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '_') {
                    throw new Invalid("invalid number " + token + ": an underscore must stand between two digits");
                }
            } else if (Character.digit(c, radix) < 0 || c > 'z') {
                throw new Invalid("invalid value " + token);
            } else {
                b.append(c);
            }
        }
        if (b.length() == 0) {
            throw new Invalid("invalid value " + token);
        }
        return b.toString();
    }

    /** A checked date, time or date-time, as text with {@code T} between date and time. */
    private static String dateTime(String t) throws Invalid {
        int i = 0;
        String out = t;
        if (t.length() >= 10 && t.charAt(4) == '-') {
            date(t, t);
            i = 10;
            if (i == t.length()) {
                return t;
            }
            char sep = t.charAt(i);
            if (sep != 'T' && sep != 't' && sep != ' ') {
                throw new Invalid("invalid date-time " + t);
            }
            if (sep == ' ') {
                out = t.substring(0, 10) + 'T' + t.substring(11);
            }
            i++;
            i = time(t, i);
            if (i == t.length()) {
                return out;
            }
            offset(t, i);
            return out;
        }
        if (time(t, 0) != t.length()) {
            throw new Invalid("invalid time " + t);
        }
        return t;
    }

    private static void date(String t, String token) throws Invalid {
        int year = number(t, 0, 4, token);
        int month = number(t, 5, 2, token);
        int day = number(t, 8, 2, token);
        if (t.charAt(7) != '-' || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            throw new Invalid("invalid date " + token);
        }
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Checks {@code HH:MM:SS[.fraction]} at {@code at}; returns where it ends. */
    private static int time(String t, int at) throws Invalid {
        if (t.length() < at + 8 || t.charAt(at + 2) != ':' || t.charAt(at + 5) != ':'
                || number(t, at, 2, t) > 23 || number(t, at + 3, 2, t) > 59 || number(t, at + 6, 2, t) > 60) {
            throw new Invalid("invalid time in " + t);
        }
        int i = at + 8;
        if (i < t.length() && t.charAt(i) == '.') {
            int start = ++i;
            while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == start) {
                throw new Invalid("invalid time in " + t + ": no digits after the point");
            }
        }
        return i;
    }

    /** Checks that {@code Z} or {@code +HH:MM} ends {@code t} at {@code at}. */
    private static void offset(String t, int at) throws Invalid {
        char c = t.charAt(at);
        if ((c == 'Z' || c == 'z') && at + 1 == t.length()) {
            return;
        }
        if ((c == '+' || c == '-') && t.length() == at + 6 && t.charAt(at + 3) == ':'
                && number(t, at + 1, 2, t) <= 23 && number(t, at + 4, 2, t) <= 59) {
            return;
        }
        throw new Invalid("invalid offset in date-time " + t);
    }

    private static int number(String t, int at, int length, String token) throws Invalid {
        if (t.length() < at + length) {
            throw new Invalid("invalid date or time " + token);
        }
        int n = 0;
        for (int i = at; i < at + length; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                throw new Invalid("invalid date or time " + token);
            }
            n = n * 10 + c - '0';
        }
        return n;
    }
}
