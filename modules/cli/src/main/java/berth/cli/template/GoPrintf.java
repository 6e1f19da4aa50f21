package berth.cli.template;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Go's fmt.Sprintf for templates' printf: the verbs %v %+v %s %q %d %x %X %o %b %c %U %e %f %g %t
 * %T %% with flags, width and precision, Go's "%!d(string=x)" for a verb that does not fit its
 * argument, %!d(MISSING) and %!(EXTRA ...). Written by hand rather than on String.format, whose
 * semantics differ and whose first use costs ~10 ms of locale loading.
 */
final class GoPrintf {
    private GoPrintf() {
    }

    /** One parsed %-directive. */
    private record Spec(boolean minus, boolean plus, boolean sharp, boolean zero, boolean space, int width, int prec, char verb) {
    }

    static String sprintf(String format, List<Object> args) {
        StringBuilder sb = new StringBuilder(format.length() + 16);
        int argIndex = 0;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                sb.append(c);
                i++;
                continue;
            }
            i++;
            boolean minus = false;
            boolean plus = false;
            boolean sharp = false;
            boolean zero = false;
            boolean space = false;
            for (; i < n; i++) {
                char f = format.charAt(i);
                if (f == '-') {
                    minus = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == '#') {
                    sharp = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == ' ') {
                    space = true;
                } else {
                    break;
                }
            }
            int width = -1;
            if (i < n && format.charAt(i) == '*') {
                i++;
                Object w = argIndex < args.size() ? args.get(argIndex++) : null;
                if (Values.isInteger(w)) {
                    width = (int) ((Number) w).longValue();
                    if (width < 0) {
                        minus = true;
                        width = -width;
                    }
                } else {
                    sb.append("%!(BADWIDTH)");
                }
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    width = Integer.parseInt(format.substring(start, i));
                }
            }
            int prec = -1;
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    Object p = argIndex < args.size() ? args.get(argIndex++) : null;
                    if (Values.isInteger(p)) {
                        prec = Math.max(0, (int) ((Number) p).longValue());
                    } else {
                        sb.append("%!(BADPREC)");
                    }
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                }
            }
            if (i >= n) {
                sb.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                sb.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                sb.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Spec spec = new Spec(minus, plus, sharp, zero && !minus, space, width, prec, verb);
            format(sb, spec, args.get(argIndex++));
        }
        if (argIndex < args.size()) {
            sb.append("%!(EXTRA ");
            for (int k = argIndex; k < args.size(); k++) {
                if (k > argIndex) {
                    sb.append(", ");
                }
                Object a = args.get(k);
                if (a == null || a == Values.NO_VALUE) {
                    sb.append("<nil>");
                } else {
                    sb.append(Values.typeName(a)).append('=');
                    GoFmt.value(sb, a, false);
                }
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static void format(StringBuilder sb, Spec s, Object arg) {
        if (s.verb == 'T') {
            pad(sb, s, arg == null || arg == Values.NO_VALUE ? "<nil>" : Values.typeName(arg), false);
            return;
        }
        if (arg == null || arg == Values.NO_VALUE) {
            pad(sb, s, s.verb == 'v' ? "<nil>" : "%!" + s.verb + "(<nil>)", false);
            return;
        }
        if ((Values.isList(arg) || arg instanceof Map || arg instanceof Record) && s.verb != 'v' && !(arg instanceof byte[])) {
            // Go applies the verb to each element: %d of [1 2] is [1 2], %s of ["a"] is [a]
            StringBuilder inner = new StringBuilder();
            Spec element = new Spec(s.minus, s.plus, s.sharp, s.zero, s.space, s.width, s.prec, s.verb);
            if (arg instanceof Map<?, ?> m) {
                inner.append("map[");
                boolean first = true;
                for (Map.Entry<Object, Object> e : Values.sortedEntries(m)) {
                    if (!first) {
                        inner.append(' ');
                    }
                    first = false;
                    format(inner, element, e.getKey());
                    inner.append(':');
                    format(inner, element, e.getValue());
                }
                sb.append(inner).append(']');
                return;
            }
            List<Object> items = arg instanceof Record r ? List.copyOf(Values.recordFields(r).values()) : Values.asList(arg);
            sb.append(arg instanceof Record ? '{' : '[');
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                format(sb, element, items.get(k));
            }
            sb.append(arg instanceof Record ? '}' : ']');
            return;
        }
        switch (s.verb) {
            case 'v':
                if (Values.isInteger(arg) || Values.isFloat(arg)) {
                    number(sb, s, arg, Values.isFloat(arg) ? 'g' : 'd');
                } else {
                    StringBuilder v = new StringBuilder();
                    GoFmt.value(v, arg, s.plus);
                    pad(sb, s, v.toString(), false);
                }
                return;
            case 's':
                if (arg instanceof String || !(arg instanceof Number) && !(arg instanceof Boolean)) {
                    String str = arg instanceof String st ? st : GoFmt.print(arg);
                    pad(sb, s, s.prec >= 0 ? truncateRunes(str, s.prec) : str, false);
                    return;
                }
                break;
            case 'q':
                if (arg instanceof String str) {
                    pad(sb, s, quote(s.prec >= 0 ? truncateRunes(str, s.prec) : str), false);
                    return;
                }
                if (Values.isInteger(arg)) {
                    pad(sb, s, quoteRune((int) ((Number) arg).longValue()), false);
                    return;
                }
                break;
            case 't':
                if (arg instanceof Boolean b) {
                    pad(sb, s, b.toString(), false);
                    return;
                }
                break;
            case 'x':
            case 'X':
                if (arg instanceof String str) {
                    StringBuilder hex = new StringBuilder();
                    for (byte b : str.getBytes(StandardCharsets.UTF_8)) {
                        String h = Integer.toHexString(b & 0xff);
                        hex.append(h.length() == 1 ? "0" : "").append(s.verb == 'X' ? h.toUpperCase() : h);
                    }
                    pad(sb, s, hex.toString(), false);
                    return;
                }
                if (Values.isInteger(arg)) {
                    number(sb, s, arg, s.verb);
                    return;
                }
                if (Values.isFloat(arg) && s.prec < 0) {
                    double d = ((Number) arg).doubleValue();
                    String h = hexFloat(Math.abs(d));
                    pad(sb, s, sign(d < 0 || d == 0 && 1 / d < 0, s) + (s.verb == 'X' ? h.toUpperCase() : h), true);
                    return;
                }
                break;
            case 'd':
            case 'o':
            case 'b':
            case 'c':
            case 'U':
                if (Values.isInteger(arg)) {
                    number(sb, s, arg, s.verb);
                    return;
                }
                break;
            case 'e':
            case 'E':
            case 'f':
            case 'F':
            case 'g':
            case 'G':
                if (Values.isFloat(arg)) {
                    number(sb, s, arg, s.verb);
                    return;
                }
                break;
            default:
                break;
        }
        StringBuilder bad = new StringBuilder("%!").append(s.verb).append('(').append(Values.typeName(arg)).append('=');
        GoFmt.value(bad, arg, false);
        sb.append(bad).append(')');
    }

    private static void number(StringBuilder sb, Spec s, Object arg, char verb) {
        String digits;
        boolean negative;
        if (Values.isFloat(arg)) {
            double d = ((Number) arg).doubleValue();
            int prec = s.prec < 0 && "eEfF".indexOf(verb) >= 0 ? 6 : s.prec;
            String f = GoFloat.format(d, verb, prec, arg instanceof Float);
            negative = f.startsWith("-");
            digits = negative ? f.substring(1) : f;
            if (Double.isInfinite(d) || Double.isNaN(d)) {
                digits = digits.replace("+", "");
                pad(sb, new Spec(s.minus, s.plus, s.sharp, false, s.space, s.width, s.prec, verb), sign(negative, s) + digits, false);
                return;
            }
        } else {
            long v = ((Number) arg).longValue();
            if (verb == 'c') {
                pad(sb, s, new String(Character.toChars((int) v)), false);
                return;
            }
            if (verb == 'U') {
                String h = Long.toHexString(v).toUpperCase();
                pad(sb, s, "U+" + "0000".substring(Math.min(4, h.length())) + h, false);
                return;
            }
            negative = v < 0;
            long abs = Math.abs(v);
            switch (verb) {
                case 'x': digits = Long.toHexString(abs); break;
                case 'X': digits = Long.toHexString(abs).toUpperCase(); break;
                case 'o': digits = Long.toOctalString(abs); break;
                case 'b': digits = Long.toBinaryString(abs); break;
                default: digits = Long.toString(abs); break;
            }
            if (s.prec >= 0) {
                StringBuilder z = new StringBuilder();
                for (int k = digits.length(); k < s.prec; k++) {
                    z.append('0');
                }
                digits = s.prec == 0 && abs == 0 ? "" : z + digits;
            }
            if (s.sharp) {
                digits = (verb == 'x' ? "0x" : verb == 'X' ? "0X" : verb == 'o' ? "0" : verb == 'b' ? "0b" : "") + digits;
            }
        }
        String sign = sign(negative, s);
        if (s.zero && s.width > 0 && !(Values.isInteger(arg) && s.prec >= 0)) {
            StringBuilder z = new StringBuilder(sign);
            for (int k = sign.length() + digits.length(); k < s.width; k++) {
                z.append('0');
            }
            sb.append(z).append(digits);
            return;
        }
        pad(sb, s, sign + digits, true);
    }

    /** Go's %x of a float: 0x1.921fb53c8d4f1p+01 (Java's hex float with Go's exponent and no ".0"). */
    private static String hexFloat(double abs) {
        if (abs == 0) {
            return "0x0p+00";
        }
        if (Double.isInfinite(abs) || Double.isNaN(abs)) {
            return Double.isNaN(abs) ? "NaN" : "Inf";
        }
        String j = Double.toHexString(abs);
        int p = j.indexOf('p');
        String mantissa = j.substring(0, p);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(j.substring(p + 1));
        int a = Math.abs(exp);
        return mantissa + "p" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
    }

    private static String sign(boolean negative, Spec s) {
        return negative ? "-" : s.plus ? "+" : s.space ? " " : "";
    }

    private static void pad(StringBuilder sb, Spec s, String text, boolean isNumber) {
        int len = text.codePointCount(0, text.length());
        if (s.width <= len) {
            sb.append(text);
            return;
        }
        char padChar = s.zero && !isNumber && !s.minus ? '0' : ' ';
        if (s.minus) {
            sb.append(text);
        }
        for (int k = len; k < s.width; k++) {
            sb.append(s.minus ? ' ' : padChar);
        }
        if (!s.minus) {
            sb.append(text);
        }
    }

    private static String truncateRunes(String s, int n) {
        if (s.codePointCount(0, s.length()) <= n) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, n));
    }

    /** strconv.Quote. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            escapeRune(sb, cp, '"');
            i += Character.charCount(cp);
        }
        return sb.append('"').toString();
    }

    private static String quoteRune(int cp) {
        StringBuilder sb = new StringBuilder("'");
        escapeRune(sb, cp, '\'');
        return sb.append('\'').toString();
    }

    private static void escapeRune(StringBuilder sb, int cp, char quote) {
        switch (cp) {
            case 7: sb.append("\\a"); return;
            case '\b': sb.append("\\b"); return;
            case '\f': sb.append("\\f"); return;
            case '\n': sb.append("\\n"); return;
            case '\r': sb.append("\\r"); return;
            case '\t': sb.append("\\t"); return;
            case 11: sb.append("\\v"); return;
            case '\\': sb.append("\\\\"); return;
            default:
                break;
        }
        if (cp == quote) {
            sb.append('\\').appendCodePoint(cp);
        } else if (cp < 0x20 || cp == 0x7f) {
            sb.append("\\x").append(cp < 0x10 ? "0" : "").append(Integer.toHexString(cp));
        } else if (cp >= 0x80 && (Character.isISOControl(cp) || !Character.isDefined(cp))) {
            String h = Integer.toHexString(cp);
            sb.append(cp > 0xffff ? "\\U" + "00000000".substring(h.length()) : "\\u" + "0000".substring(h.length())).append(h);
        } else {
            sb.appendCodePoint(cp);
        }
    }
}
