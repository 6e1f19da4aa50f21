package berth.cli.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions a template may call: Go's builtins (and, or, not, len, index, slice, print, printf,
 * println, eq, ne, lt, le, gt, ge, html) and podman's report functions (json, lower, upper, title,
 * join, split, truncate, pad), plus berth's contains and replace. and/or are evaluated lazily by
 * the {@link Evaluator}; they are listed here so that the parser knows them.
 */
final class Functions {
    /**
     * A function and its parameter types, one letter each: a (any), s (string), i (int), l (list);
     * when variadic, the last letter repeats.
     */
    record Function(String name, String params, boolean variadic) {
        int minArgs() {
            return variadic ? params.length() - 1 : params.length();
        }

        int maxArgs() {
            return variadic ? -1 : params.length();
        }

        char paramType(int i) {
            return params.charAt(Math.min(i, params.length() - 1));
        }
    }

    static final Functions STANDARD = standard();

    private final Map<String, Function> byName = new HashMap<>();

    private Functions() {
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    Function get(String name) {
        return byName.get(name);
    }

    private void add(String name, String params) {
        byName.put(name, new Function(name, params, false));
    }

    private void addVariadic(String name, String params) {
        byName.put(name, new Function(name, params, true));
    }

    private static Functions standard() {
        Functions f = new Functions();
        for (String variadic : new String[] {"and aa", "or aa", "index aa", "slice aa", "print a", "println a", "printf sa", "eq aa", "html a"}) {
            int sp = variadic.indexOf(' ');
            f.addVariadic(variadic.substring(0, sp), variadic.substring(sp + 1));
        }
        for (String fixed : new String[] {"not a", "len a", "ne aa", "lt aa", "le aa", "gt aa", "ge aa", "json a", "lower s", "upper s",
            "title s", "join ls", "split ss", "truncate si", "pad sii", "contains ss", "replace sss"}) {
            int sp = fixed.indexOf(' ');
            f.add(fixed.substring(0, sp), fixed.substring(sp + 1));
        }
        return f;
    }

    /**
     * Calls a function other than and/or (which the Evaluator runs lazily); args include a
     * pipeline's final value and have the types the parameters ask for. A switch rather than a
     * lambda a function: each lambda is a class spun at first use, a cost every command would pay.
     */
    static Object call(String name, List<Object> args) throws FuncException {
        switch (name) {
            case "not": return !Values.isTrue(args.get(0));
            case "len": return length(args.get(0));
            case "index": return index(args);
            case "slice": return slice(args);
            case "print": return GoFmt.sprint(args);
            case "println": return GoFmt.sprintln(args);
            case "printf": return GoPrintf.sprintf(string(args.get(0)), args.subList(1, args.size()));
            case "eq": return Compare.eq(args);
            case "ne": return !Compare.eq(args);
            case "lt": return Compare.order(args.get(0), args.get(1)) < 0;
            case "le": return Compare.order(args.get(0), args.get(1)) <= 0;
            case "gt": return Compare.order(args.get(0), args.get(1)) > 0;
            case "ge": return Compare.order(args.get(0), args.get(1)) >= 0;
            case "html": return html(GoFmt.sprint(args));
            // podman (containers/common pkg/report DefaultFuncs)
            case "json": return GoJson.write(args.get(0));
            case "lower": return mapRunes(string(args.get(0)), false);
            case "upper": return mapRunes(string(args.get(0)), true);
            case "title": return title(string(args.get(0)));
            case "join": return join(args.get(0), string(args.get(1)));
            case "split": return split(string(args.get(0)), string(args.get(1)));
            case "truncate": return truncate(string(args.get(0)), integer(args.get(1)));
            case "pad": return pad(string(args.get(0)), integer(args.get(1)), integer(args.get(2)));
            // berth's own, for what podman users do with sed
            case "contains": return string(args.get(0)).contains(string(args.get(1)));
            case "replace": return string(args.get(0)).replace(string(args.get(1)), string(args.get(2)));
            default: throw new IllegalStateException("no function " + name);
        }
    }

    /** Go's argument check: null if v fits the parameter type, else the message. */
    static String checkType(char type, Object v) {
        boolean fits;
        switch (type) {
            case 's': fits = v instanceof String; break;
            case 'i': fits = Values.isInteger(v); break;
            case 'l': fits = Values.isList(v); break;
            default: return null;
        }
        if (fits) {
            return null;
        }
        String expected = typeName(type);
        return v == Values.NO_VALUE ? "invalid value; expected " + expected
                : "wrong type for value; expected " + expected + "; got " + Values.typeName(v);
    }

    /** Go's check of a constant argument: "expected string; found 3". */
    static String checkLiteral(char type, Object v, String source) {
        if (checkType(type, v) == null) {
            return null;
        }
        switch (type) {
            case 's': return "expected string; found " + source;
            case 'i': return "expected integer; found " + source;
            default: return "can't handle " + source + " for arg of type " + typeName(type);
        }
    }

    private static String typeName(char type) {
        return type == 's' ? "string" : type == 'i' ? "int" : "[]string";
    }

    static String string(Object v) throws FuncException {
        if (v instanceof String s) {
            return s;
        }
        throw wrongType("string", v);
    }

    static int integer(Object v) throws FuncException {
        if (Values.isInteger(v)) {
            return (int) ((Number) v).longValue();
        }
        throw wrongType("int", v);
    }

    private static FuncException wrongType(String expected, Object v) {
        if (v == Values.NO_VALUE) {
            return FuncException.argument("invalid value; expected " + expected);
        }
        return FuncException.argument("wrong type for value; expected " + expected + "; got " + Values.typeName(v));
    }

    private static Object length(Object v) throws FuncException {
        if (v instanceof String s) {
            return (long) s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (Values.isList(v)) {
            return (long) Values.asList(v).size();
        }
        if (v instanceof Map<?, ?> m) {
            return (long) m.size();
        }
        if (v == null || v == Values.NO_VALUE) {
            throw FuncException.call("len of nil pointer");
        }
        throw FuncException.call("len of type " + Values.typeName(v));
    }

    private static Object index(List<Object> args) throws FuncException {
        Object item = args.get(0);
        if (item == null || item == Values.NO_VALUE) {
            throw FuncException.call("index of untyped nil");
        }
        for (Object key : args.subList(1, args.size())) {
            if (item == null) {
                throw FuncException.call("index of nil pointer");
            }
            if (item instanceof String s) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                item = (long) (bytes[position(key, bytes.length)] & 0xff);
            } else if (Values.isList(item)) {
                List<Object> l = Values.asList(item);
                item = l.get(position(key, l.size()));
            } else if (item instanceof Map<?, ?> m) {
                if (!(key instanceof String) && !m.isEmpty() && m.keySet().iterator().next() instanceof String) {
                    throw FuncException.call("value has type " + Values.typeName(key) + "; should be string");
                }
                item = m.containsKey(key) ? m.get(key) : null;
            } else {
                throw FuncException.call("can't index item of type " + Values.typeName(item));
            }
        }
        return item;
    }

    private static int position(Object key, int length) throws FuncException {
        if (key == null || key == Values.NO_VALUE) {
            throw FuncException.call("cannot index slice/array with nil");
        }
        if (!Values.isInteger(key)) {
            throw FuncException.call("cannot index slice/array with type " + Values.typeName(key));
        }
        long x = ((Number) key).longValue();
        if (x < 0 || x >= length) {
            throw FuncException.call("index out of range: " + x);
        }
        return (int) x;
    }

    private static Object slice(List<Object> args) throws FuncException {
        Object item = args.get(0);
        if (item == null || item == Values.NO_VALUE) {
            throw FuncException.call("slice of untyped nil");
        }
        List<Object> idx = args.subList(1, args.size());
        if (idx.size() > 3) {
            throw FuncException.call("too many slice indexes: " + idx.size());
        }
        int length;
        if (item instanceof String s) {
            length = s.getBytes(StandardCharsets.UTF_8).length;
            if (idx.size() == 3) {
                throw FuncException.call("cannot 3-index slice a string");
            }
        } else if (Values.isList(item)) {
            length = Values.asList(item).size();
        } else {
            throw FuncException.call("can't slice item of type " + Values.typeName(item));
        }
        int[] bounds = {0, length, length};
        for (int i = 0; i < idx.size(); i++) {
            Object k = idx.get(i);
            if (!Values.isInteger(k)) {
                throw FuncException.call("cannot index slice/array with type " + Values.typeName(k));
            }
            long x = ((Number) k).longValue();
            if (x < 0 || x > length) {
                throw FuncException.call("index out of range: " + x);
            }
            bounds[i] = (int) x;
        }
        if (bounds[0] > bounds[1]) {
            throw FuncException.call("invalid slice index: " + bounds[0] + " > " + bounds[1]);
        }
        if (item instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            return new String(bytes, bounds[0], bounds[1] - bounds[0], StandardCharsets.UTF_8);
        }
        return new ArrayList<>(Values.asList(item).subList(bounds[0], bounds[1]));
    }

    private static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&#34;"); break;
                case '\'': sb.append("&#39;"); break;
                case 0: sb.append("\uFFFD"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Go's strings.ToUpper/ToLower map each rune alone: "ß" stays, where Java's toUpperCase makes "SS". */
    private static String mapRunes(String s, boolean upper) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            sb.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
        }
        return sb.toString();
    }

    /** strings.Title: the first letter of each word upper-cased; words end at anything but a letter, digit or '_'. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean atStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(atStart ? Character.toTitleCase(c) : c);
            atStart = !(Character.isLetterOrDigit(c) || c == '_');
        }
        return sb.toString();
    }

    private static String join(Object list, String sep) throws FuncException {
        if (!Values.isList(list)) {
            throw wrongType("[]string", list);
        }
        StringBuilder sb = new StringBuilder();
        List<Object> l = Values.asList(list);
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(GoFmt.print(l.get(i)));
        }
        return sb.toString();
    }

    /** strings.Split: an empty separator splits after each character. */
    private static List<Object> split(String s, String sep) {
        List<Object> out = new ArrayList<>();
        if (sep.isEmpty()) {
            for (int i = 0; i < s.length();) {
                int cp = s.codePointAt(i);
                out.add(new String(Character.toChars(cp)));
                i += Character.charCount(cp);
            }
            return out;
        }
        int start = 0;
        int at;
        while ((at = s.indexOf(sep, start)) >= 0) {
            out.add(s.substring(start, at));
            start = at + sep.length();
        }
        out.add(s.substring(start));
        return out;
    }

    private static String truncate(String s, int length) {
        return s.length() < length ? s : s.substring(0, Math.max(0, length));
    }

    private static String pad(String s, int prefix, int suffix) {
        return s.isEmpty() ? s : " ".repeat(Math.max(0, prefix)) + s + " ".repeat(Math.max(0, suffix));
    }
}
