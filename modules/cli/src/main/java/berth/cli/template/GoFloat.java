package berth.cli.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Go's strconv float formatting: %e, %f, %g, with a precision or the shortest that reads back. */
final class GoFloat {
    private GoFloat() {
    }

    /** Decimal digits and the position of the decimal point: value = 0.DIGITS x 10^point. */
    private record Digits(String digits, int point) {
    }

    static String format(double v, char verb, int prec, boolean isFloat32) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        boolean negative = v < 0 || v == 0 && 1 / v < 0;
        double abs = Math.abs(v);
        String body;
        switch (verb) {
            case 'e':
            case 'E': {
                Digits d = prec < 0 ? shortest(abs, isFloat32) : significant(abs, prec + 1);
                body = exponential(d, prec < 0 ? Math.max(d.digits.length() - 1, 0) : prec, verb);
                break;
            }
            case 'f':
            case 'F': {
                Digits d = prec < 0 ? shortest(abs, isFloat32) : fixedDigits(abs, prec);
                body = fixed(d, prec < 0 ? Math.max(d.digits.length() - d.point, 0) : prec);
                break;
            }
            default: { // g, G
                Digits d = prec < 0 ? shortest(abs, isFloat32) : significant(abs, prec == 0 ? 1 : prec);
                int eprec = prec < 0 ? 6 : (prec == 0 ? 1 : prec);
                if (prec >= 0 && eprec > d.digits.length() && d.digits.length() >= d.point) {
                    eprec = d.digits.length();
                }
                if (prec < 0) {
                    eprec = 6;
                }
                int exp = d.point - 1;
                if (abs == 0) {
                    exp = 0;
                }
                if (exp < -4 || exp >= eprec) {
                    body = exponential(d, d.digits.length() - 1, verb == 'G' ? 'E' : 'e');
                } else {
                    body = fixed(d, Math.max(d.digits.length() - d.point, 0));
                }
            }
        }
        return negative ? "-" + body : body;
    }

    private static Digits shortest(double abs, boolean isFloat32) {
        if (abs == 0) {
            return new Digits("0", 1);
        }
        BigDecimal b = new BigDecimal(isFloat32 ? Float.toString((float) abs) : Double.toString(abs)).stripTrailingZeros();
        return digitsOf(b);
    }

    private static Digits significant(double abs, int n) {
        if (abs == 0) {
            return new Digits("0", 1);
        }
        return digitsOf(new BigDecimal(abs).round(new MathContext(n, RoundingMode.HALF_EVEN)).stripTrailingZeros());
    }

    private static Digits fixedDigits(double abs, int prec) {
        BigDecimal b = new BigDecimal(abs).setScale(prec, RoundingMode.HALF_EVEN);
        if (b.signum() == 0) {
            return new Digits("0", 1);
        }
        return digitsOf(b.stripTrailingZeros());
    }

    private static Digits digitsOf(BigDecimal b) {
        String digits = b.unscaledValue().toString();
        return new Digits(digits, digits.length() - b.scale());
    }

    private static String exponential(Digits d, int prec, char e) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.digits.charAt(0));
        if (prec > 0) {
            sb.append('.');
            for (int i = 1; i <= prec; i++) {
                sb.append(i < d.digits.length() ? d.digits.charAt(i) : '0');
            }
        }
        int exp = d.digits.equals("0") ? 0 : d.point - 1;
        sb.append(e).append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) {
            sb.append('0');
        }
        return sb.append(a).toString();
    }

    private static String fixed(Digits d, int prec) {
        StringBuilder sb = new StringBuilder();
        if (d.point <= 0) {
            sb.append('0');
        } else {
            for (int i = 0; i < d.point; i++) {
                sb.append(i < d.digits.length() ? d.digits.charAt(i) : '0');
            }
        }
        if (prec > 0) {
            sb.append('.');
            for (int i = 0; i < prec; i++) {
                int idx = d.point + i;
                sb.append(idx >= 0 && idx < d.digits.length() ? d.digits.charAt(idx) : '0');
            }
        }
        return sb.toString();
    }
}
