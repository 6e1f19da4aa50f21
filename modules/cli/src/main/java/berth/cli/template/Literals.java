package berth.cli.template;

/** Go's constant syntax: quoted strings with escapes, raw strings, rune constants and numbers. */
final class Literals {
    private Literals() {
    }

    /** Malformed literals throw IllegalArgumentException; the parser words and places the error. */
    static String unquote(String quoted) {
        if (quoted.charAt(0) == '`') {
            return quoted.substring(1, quoted.length() - 1).replace("\r", "");
        }
        StringBuilder sb = new StringBuilder(quoted.length());
        int end = quoted.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            i = escape(quoted, i + 1, end, sb);
        }
        return sb.toString();
    }

    static int unquoteChar(String quoted) {
        String s = unquote(quoted.replace("\\'", "'"));
        if (s.codePointCount(0, s.length()) != 1) {
            throw new IllegalArgumentException();
        }
        return s.codePointAt(0);
    }

    /** Appends the escape starting at i (just after the backslash); returns the index of its last character. */
    private static int escape(String s, int i, int end, StringBuilder sb) {
        if (i >= end) {
            throw new IllegalArgumentException();
        }
        char c = s.charAt(i);
        switch (c) {
            case 'a': sb.append('\u0007'); return i;
            case 'b': sb.append('\b'); return i;
            case 'f': sb.append('\f'); return i;
            case 'n': sb.append('\n'); return i;
            case 'r': sb.append('\r'); return i;
            case 't': sb.append('\t'); return i;
            case 'v': sb.append('\u000b'); return i;
            case '\\': case '"': case '\'': sb.append(c); return i;
            case 'x': return hex(s, i, 2, end, sb);
            case 'u': return hex(s, i, 4, end, sb);
            case 'U': return hex(s, i, 8, end, sb);
            default:
                if (c >= '0' && c <= '7' && i + 2 < end) {
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 3), 8));
                        return i + 2;
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(e);
                    }
                }
                throw new IllegalArgumentException();
        }
    }

    private static int hex(String s, int i, int digits, int end, StringBuilder sb) {
        if (i + digits >= end + 1) {
            throw new IllegalArgumentException();
        }
        // NumberFormatException and appendCodePoint's IllegalArgumentException both mean malformed
        int cp = Integer.parseInt(s.substring(i + 1, i + 1 + digits), 16);
        if (digits == 2) {
            sb.append((char) cp); // a byte; Go would keep it raw, Java strings have no raw bytes
        } else {
            sb.appendCodePoint(cp);
        }
        return i + digits;
    }

    /** An integer constant becomes a Long (Go's int), one with a fraction or exponent a Double. */
    static Object number(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        // a NumberFormatException is the IllegalArgumentException the parser expects
        String lower = body.toLowerCase();
        long value;
        if (lower.startsWith("0x")) {
            if (lower.contains("p") || lower.contains(".")) {
                throw new IllegalArgumentException();
            }
            value = Long.parseLong(body.substring(2), 16);
        } else if (lower.startsWith("0o")) {
            value = Long.parseLong(body.substring(2), 8);
        } else if (lower.startsWith("0b")) {
            value = Long.parseLong(body.substring(2), 2);
        } else if (lower.contains(".") || lower.contains("e")) {
            if (lower.endsWith("i")) {
                throw new IllegalArgumentException();
            }
            double d = Double.parseDouble(body);
            return negative ? -d : d;
        } else if (lower.length() > 1 && lower.startsWith("0")) {
            value = Long.parseLong(body.substring(1), 8);
        } else {
            value = Long.parseLong(body);
        }
        return negative ? -value : value;
    }
}
