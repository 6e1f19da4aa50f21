package berth.support.toml;

import berth.testsupport.Fuzz;
import java.util.ArrayList;
import java.util.List;

/**
 * Random valid TOML documents for {@link TomlDifferentialTest}: tables, sub-tables, arrays of tables
 * (nested too), bare, quoted and dotted keys, and every kind of value, each written in one of its
 * spellings. Names are fresh where TOML forbids a second definition, so every document is valid.
 * Integers stay below 13 digits (jackson mangles 19-digit ones, see JACKSON_IS_WRONG).
 */
final class TomlGen {
    private final Fuzz.Gen g;
    private int names;

    TomlGen(Fuzz.Gen g) {
        this.g = g;
    }

    String document() {
        StringBuilder b = new StringBuilder();
        if (g.bool()) {
            b.append("# ").append(commentText()).append('\n');
        }
        keyValues(b);
        List<String> tables = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        for (int i = g.size(0, 5); i > 0; i--) {
            switch (g.random().nextInt(5)) {
                case 0 -> {
                    String t = key();
                    tables.add(t);
                    b.append(blank()).append('[').append(blank()).append(t).append(blank()).append(']');
                }
                case 1 -> {
                    if (tables.isEmpty()) {
                        String t = key() + "." + key();
                        tables.add(t);
                        b.append('[').append(t).append(']');
                    } else {
                        String t = g.pick(tables) + "." + key();
                        tables.add(t);
                        b.append('[').append(t).append(']');
                    }
                }
                case 2 -> {
                    String a = arrays.isEmpty() || g.bool() ? key() : g.pick(arrays);
                    if (!arrays.contains(a)) {
                        arrays.add(a);
                    }
                    b.append("[[").append(a).append("]]");
                }
                case 3 -> {
                    if (arrays.isEmpty()) {
                        String a = key();
                        arrays.add(a);
                        b.append("[[").append(a).append("]]");
                    } else {
                        // a sub-array of the last element; a new name each time, as the element is new
                        b.append("[[").append(g.pick(arrays)).append('.').append(key()).append("]]");
                    }
                }
                default -> {
                    String t = key() + "." + key() + "." + key();
                    tables.add(t);
                    b.append('[').append(t).append(']');
                }
            }
            b.append(g.bool() ? "" : " # " + commentText()).append(g.bool() ? "\n" : "\r\n");
            keyValues(b);
        }
        return b.toString();
    }

    private void keyValues(StringBuilder b) {
        for (int i = g.size(0, 5); i > 0; i--) {
            String k = key();
            if (g.random().nextInt(4) == 0) {
                // dotted keys sharing a prefix
                for (int j = g.size(1, 3); j > 0; j--) {
                    b.append(k).append(blank()).append('.').append(blank()).append(key()).append(" = ").append(value(0)).append('\n');
                }
            } else {
                b.append(blank()).append(k).append(blank()).append('=').append(blank()).append(value(0))
                        .append(g.random().nextInt(4) == 0 ? " #" + commentText() : "").append('\n');
            }
            if (g.random().nextInt(5) == 0) {
                b.append(g.bool() ? "\n" : "# " + commentText() + "\n");
            }
        }
    }

    /** A fresh key: bare, basic-quoted or literal-quoted. */
    private String key() {
        String name = "k" + names++ + (g.bool() ? "" : "z" + g.string("abcXYZ_-09", 0, 4)); // z: no suffix makes another number
        return switch (g.random().nextInt(6)) {
            case 0 -> "\"" + name + " " + escaped(g.string(6)) + "\"";
            case 1 -> "'" + name + ".lit'";
            default -> name;
        };
    }

    private String blank() {
        return g.pick("", "", " ", "\t", "  ");
    }

    private String value(int depth) {
        int kinds = depth > 3 ? 6 : 8;
        return switch (g.random().nextInt(kinds)) {
            case 0 -> integer();
            case 1 -> floating();
            case 2 -> g.pick("true", "false");
            case 3 -> basicString();
            case 4 -> otherString();
            case 5 -> dateTime();
            case 6 -> array(depth);
            default -> inlineTable(depth);
        };
    }

    private String integer() {
        long v = g.random().nextLong() % 1_000_000_000_000L;
        if (g.random().nextInt(4) == 0) {
            v = g.intIn(-3, 3);
        }
        return switch (g.random().nextInt(6)) {
            case 0 -> Math.abs(v) >= 0 ? "0x" + (g.bool() ? Long.toHexString(Math.abs(v)) : Long.toHexString(Math.abs(v)).toUpperCase()) : "0";
            case 1 -> "0o" + Long.toOctalString(Math.abs(v));
            case 2 -> "0b" + Long.toBinaryString(Math.abs(v) % 100000);
            case 3 -> underscores(Long.toString(Math.abs(v)), v < 0 ? "-" : g.pick("", "+"));
            default -> Long.toString(v);
        };
    }

    private String underscores(String digits, String sign) {
        StringBuilder b = new StringBuilder(sign);
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && g.random().nextInt(3) == 0) {
                b.append('_');
            }
            b.append(digits.charAt(i));
        }
        return b.toString();
    }

    private String floating() {
        return switch (g.random().nextInt(7)) {
            case 0 -> g.pick("inf", "+inf", "-inf", "nan", "+nan", "-nan", "0.0", "-0.0", "+0.0", "0e0");
            case 1 -> g.intIn(-999, 999) + "." + g.string("0123456789", 1, 6);
            case 2 -> g.intIn(-99, 99) + g.pick("e", "E") + g.pick("", "+", "-") + g.intIn(0, 300);
            case 3 -> g.intIn(0, 99) + "." + g.string("0123456789", 1, 4) + g.pick("e", "E") + g.pick("-", "+", "") + g.intIn(0, 300);
            case 4 -> underscores(Integer.toString(g.intIn(0, 99999)), "") + "." + underscores(g.string("123456789", 1, 6), "");
            default -> {
                double d = g.anyDouble();
                yield Double.isFinite(d) ? Double.toString(d) : "1.5";
            }
        };
    }

    private String basicString() {
        if (g.random().nextInt(4) == 0) {
            String s = g.pick("", "a\nb", "\"", "'", "x\"\"y", "\\", "tab\t");
            StringBuilder b = new StringBuilder("\"\"\"");
            if (g.bool()) {
                b.append('\n');
            }
            b.append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append(g.bool() ? "\\\n   " : "").append(escaped(g.string(8)));
            return b.append("\"\"\"").toString();
        }
        return "\"" + escaped(g.string(12)) + "\"";
    }

    /** A literal or multi-line literal string, of characters that need no escape. */
    private String otherString() {
        StringBuilder s = new StringBuilder();
        for (char c : g.string(12).toCharArray()) {
            if (c >= 0x20 && c != 0x7f && c != '\'' && !Character.isSurrogate(c) || c == '\t') {
                s.append(c);
            }
        }
        return g.bool() ? "'" + s + "'" : "'''" + (g.bool() ? "\n" : "") + s + (g.bool() ? "\nline two" : "") + "'''";
    }

    /** {@code s} as the inside of a basic string: quotes, backslashes and controls escaped, surrogates dropped. */
    private String escaped(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.isSurrogate(c)) {
                continue;
            }
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append(g.bool() ? "\t" : "\\t");
                case '\r' -> b.append("\\r");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || g.random().nextInt(10) == 0) {
                        b.append(g.bool() ? String.format("\\u%04x", (int) c) : String.format("\\U%08X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (g.random().nextInt(8) == 0) {
            b.append("\\U0001F600");
        }
        return b.toString();
    }

    private String dateTime() {
        String date = String.format("%04d-%02d-%02d", g.intIn(0, 9999), g.intIn(1, 12), g.intIn(1, 28));
        String time = String.format("%02d:%02d:%02d", g.intIn(0, 23), g.intIn(0, 59), g.intIn(0, 59))
                + (g.bool() ? "" : "." + g.string("0123456789", 1, 9));
        String offset = g.pick("", "Z", "+01:00", "-07:30", "+00:00");
        return switch (g.random().nextInt(4)) {
            case 0 -> date;
            case 1 -> time;
            default -> date + g.pick("T", " ") + time + offset;
        };
    }

    private String array(int depth) {
        StringBuilder b = new StringBuilder("[");
        int n = g.size(0, 5);
        for (int i = 0; i < n; i++) {
            b.append(g.pick("", " ", "\n  ", " # c\n")).append(value(depth + 1));
            if (i < n - 1 || g.bool()) {
                b.append(',');
            }
        }
        return b.append(g.pick("", " ", "\n")).append(']').toString();
    }

    private String inlineTable(int depth) {
        StringBuilder b = new StringBuilder("{");
        int n = g.size(0, 4);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? g.pick("", " ") : ", ").append(key()).append(g.bool() ? "." + key() : "").append(" = ").append(value(depth + 1));
        }
        return b.append(g.pick("", " ")).append('}').toString();
    }

    private String commentText() {
        StringBuilder s = new StringBuilder();
        for (char c : g.string(20).toCharArray()) {
            if ((c >= 0x20 && c != 0x7f || c == '\t') && !Character.isSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
