package berth.cli.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Go's fmt printing of the values templates meet: {@link #print} is %v (fmt.Sprint of one value),
 * {@link #sprint} and {@link #sprintln} Go's print and println; {@link GoPrintf} does printf.
 */
final class GoFmt {
    private GoFmt() {
    }

    /** fmt.Sprint(v) for one value. */
    static String print(Object v) {
        if (v instanceof String s) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        value(sb, v, false);
        return sb.toString();
    }

    /** %v (plus: %+v, which names struct fields). */
    static void value(StringBuilder sb, Object v, boolean plus) {
        if (v == null || v == Values.NO_VALUE) {
            sb.append("<nil>");
        } else if (v instanceof String s) {
            sb.append(s);
        } else if (Values.isInteger(v)) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof Double d) {
            sb.append(GoFloat.format(d, 'g', -1, false));
        } else if (v instanceof Float f) {
            sb.append(GoFloat.format(f, 'g', -1, true));
        } else if (v instanceof Character c) {
            sb.append((int) c.charValue());
        } else if (v instanceof Map<?, ?> m) {
            sb.append("map[");
            boolean first = true;
            for (Map.Entry<Object, Object> e : Values.sortedEntries(m)) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                value(sb, e.getKey(), plus);
                sb.append(':');
                value(sb, e.getValue(), plus);
            }
            sb.append(']');
        } else if (Values.isList(v)) {
            sb.append('[');
            List<Object> l = Values.asList(v);
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                value(sb, l.get(i), plus);
            }
            sb.append(']');
        } else if (v instanceof Record r) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : Values.recordFields(r).entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                if (plus) {
                    sb.append(Values.exported(e.getKey())).append(':');
                }
                value(sb, e.getValue(), plus);
            }
            sb.append('}');
        } else if (v instanceof java.util.Optional<?> o) {
            value(sb, o.orElse(null), plus);
        } else if (v instanceof Duration d) {
            sb.append(duration(d));
        } else {
            sb.append(v);
        }
    }

    /** fmt.Sprint: operands separated by a space when neither side is a string. */
    static String sprint(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (i > 0 && !(a instanceof String) && !(args.get(i - 1) instanceof String)) {
                sb.append(' ');
            }
            value(sb, a, false);
        }
        return sb.toString();
    }

    /** fmt.Sprintln: always separated by spaces, ends with a newline. */
    static String sprintln(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            value(sb, args.get(i), false);
        }
        return sb.append('\n').toString();
    }

    /** time.Duration.String: "1h2m3.5s", "150ms", "0s". */
    static String duration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        boolean negative = d.isNegative();
        Duration a = d.abs();
        long nanos = a.toNanos();
        String out;
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000) {
                out = nanos + "ns";
            } else if (nanos < 1_000_000) {
                out = fraction(nanos, 1_000) + "µs";
            } else {
                out = fraction(nanos, 1_000_000) + "ms";
            }
        } else {
            long h = a.toHours();
            long m = a.toMinutesPart();
            String sec = fraction(a.toSecondsPart() * 1_000_000_000L + a.toNanosPart(), 1_000_000_000L) + "s";
            out = (h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" : "") + sec;
        }
        return negative ? "-" + out : out;
    }

    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        String frac = Long.toString(unit + rest).substring(1).replaceAll("0+$", "");
        return whole + "." + frac;
    }
}
