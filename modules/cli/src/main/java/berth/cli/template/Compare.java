package berth.cli.template;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Go's eq, ne, lt, le, gt, ge: basic kinds compare within their kind, anything else is an error. */
final class Compare {
    private enum Kind {
        INVALID, BOOL, INT, FLOAT, STRING, OTHER
    }

    private Compare() {
    }

    private static Kind kind(Object v) {
        if (v == null || v == Values.NO_VALUE) {
            return Kind.INVALID;
        }
        if (v instanceof Boolean) {
            return Kind.BOOL;
        }
        if (Values.isInteger(v) || v instanceof Character) {
            return Kind.INT;
        }
        if (Values.isFloat(v)) {
            return Kind.FLOAT;
        }
        if (v instanceof String) {
            return Kind.STRING;
        }
        return Kind.OTHER;
    }

    static boolean eq(List<Object> args) throws FuncException {
        if (args.size() < 2) {
            throw FuncException.call("missing argument for comparison");
        }
        Object a = args.get(0);
        Kind ka = kind(a);
        for (int i = 1; i < args.size(); i++) {
            Object b = args.get(i);
            Kind kb = kind(b);
            boolean truth;
            if (ka != kb) {
                if (ka != Kind.INVALID && kb != Kind.INVALID) {
                    throw FuncException.call("incompatible types for comparison");
                }
                truth = false;
            } else {
                switch (ka) {
                    case INT:
                        truth = integer(a) == integer(b);
                        break;
                    case FLOAT:
                        truth = ((Number) a).doubleValue() == ((Number) b).doubleValue();
                        break;
                    case INVALID:
                        truth = true;
                        break;
                    case OTHER:
                        if (a instanceof Map || a instanceof Collection || a.getClass().isArray()) {
                            throw FuncException.call("non-comparable type " + GoFmt.print(a) + ": " + Values.typeName(a));
                        }
                        truth = Objects.equals(a, b);
                        break;
                    default:
                        truth = a.equals(b);
                }
            }
            if (truth) {
                return true;
            }
        }
        return false;
    }

    /** Negative, zero or positive as Go's lt/le/gt/ge see a against b. */
    static int order(Object a, Object b) throws FuncException {
        Kind ka = kind(a);
        Kind kb = kind(b);
        if (ka == Kind.INVALID || ka == Kind.BOOL || ka == Kind.OTHER || kb == Kind.INVALID || kb == Kind.BOOL || kb == Kind.OTHER) {
            throw FuncException.call("invalid type for comparison");
        }
        if (ka != kb) {
            throw FuncException.call("incompatible types for comparison");
        }
        switch (ka) {
            case INT:
                return Long.compare(integer(a), integer(b));
            case FLOAT:
                return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            default:
                return compareUtf8((String) a, (String) b);
        }
    }

    private static long integer(Object v) {
        return v instanceof Character c ? c : ((Number) v).longValue();
    }

    /** Go compares strings bytewise; for UTF-16 that is code point order. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
