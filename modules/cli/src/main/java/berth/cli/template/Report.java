package berth.cli.template;

import java.util.List;
import java.util.Map;

/**
 * A command's {@code --format}, with podman's rules around Go's template (containers/common
 * pkg/report): this is what commands use.
 *
 * <ul>
 * <li>{@code json} or {@code {{json .}}}: {@link #isJson} says so; the command prints its JSON.
 * <li>{@code table ...}: a header row, then a row per item; spaces and {@code \t} become tabs,
 * aligned like Go's tabwriter (min width 12, padding 2).
 * <li>anything else from the user: run once per item (podman wraps it in {@code {{range .}}}), the
 * escapes {@code \t} and {@code \n} interpreted, a newline added unless the format ends with one.
 * <li>a format berth itself supplies ({@link Origin#BERTH}): aligned with headers, like podman's
 * built-in ones; it ranges over the items itself.
 * </ul>
 *
 * <pre>{@code
 * Report r = Report.forList("ps", Origin.USER, format);
 * String text = r.render(rows, r.isTable() ? Report.headers(Map.of("ID", "container id")) : null);
 * }</pre>
 */
public final class Report {
    /** Who wrote the format: podman's OriginUser and OriginPodman. */
    public enum Origin {
        USER, BERTH
    }

    private static final String TABLE = "table ";

    private final Template template;
    private final boolean table;
    private final boolean aligned;

    private Report(Template template, boolean table, boolean aligned) {
        this.template = template;
        this.table = table;
        this.aligned = aligned;
    }

    /** podman's report.IsJSON: "json" or "{{json .}}" (which podman prints as the JSON array). */
    public static boolean isJson(String format) {
        // podman's ^\s*(json|{{\s*json\s*(\.)?\s*}})\s*$, by hand: java.util.regex's first use costs milliseconds
        if (format == null) {
            return false;
        }
        String f = trim(format);
        if (f.equals("json")) {
            return true;
        }
        if (!f.startsWith("{{") || !f.endsWith("}}") || f.length() < 4) {
            return false;
        }
        String inner = trim(f.substring(2, f.length() - 2));
        if (!inner.startsWith("json")) {
            return false;
        }
        String rest = trim(inner.substring(4));
        return rest.isEmpty() || rest.equals(".") || rest.startsWith(".") && trim(rest.substring(1)).isEmpty();
    }

    /** podman's report.HasTable. */
    public static boolean isTable(String format) {
        return format != null && format.startsWith(TABLE);
    }

    /**
     * A format for a list of items (ps, images, volume ls, inspect), as podman's report.Formatter
     * parses it. Like podman, if the format does not parse once its escapes are interpreted, it is
     * parsed as written, and that error is the one reported.
     */
    public static Report forList(String name, Origin origin, String format) throws TemplateException {
        boolean table = isTable(format);
        String normalized;
        String raw;
        if (table) {
            normalized = "{{range .}}" + normalize(format) + "{{end -}}";
            raw = "{{range .}}" + format + "{{end -}}";
        } else if (origin == Origin.USER) {
            normalized = enforceRange(normalize(format));
            raw = enforceRange(format);
        } else {
            normalized = normalize(format);
            raw = format;
        }
        return new Report(parseEither(name, normalized, raw), table, table || origin == Origin.BERTH);
    }

    /**
     * A format for one value (info, version), as podman's report.Template parses it: escapes
     * interpreted and a newline added; a "table" format ranges over the value, as in podman.
     */
    public static Report forValue(String name, String format) throws TemplateException {
        boolean table = isTable(format);
        String text = table ? "{{range .}}" + normalize(format) + "{{end -}}" : normalize(format);
        return new Report(Template.parse(name, text), table, false);
    }

    private static Template parseEither(String name, String normalized, String raw) throws TemplateException {
        try {
            return Template.parse(name, normalized);
        } catch (TemplateException e) {
            return Template.parse(name, raw);
        }
    }

    /** Whether the format began with "table": the caller then passes headers to {@link #render(List, Map)}. */
    public boolean isTable() {
        return table;
    }

    /** Whether podman would print a header row: a table, or a format of berth's own. */
    public boolean rendersHeaders() {
        return aligned;
    }

    /**
     * Renders the items, after a header row when headers is not null (podman executes the template
     * on a list holding the header map). Output is tab-aligned for tables and berth's formats.
     */
    public String render(List<?> items, Map<String, String> headers) throws TemplateException {
        StringBuilder out = new StringBuilder(64 * (items.size() + 1));
        if (headers != null) {
            template.execute(List.of(headers), out);
        }
        template.execute(items, out);
        return aligned ? TabWriter.align(out) : out.toString();
    }

    /** Renders one value (a report made by {@link #forValue}). */
    public String render(Object value) throws TemplateException {
        return template.execute(value);
    }

    /** Header names for fields, podman style: "CreatedHuman" is "CREATED HUMAN"; overrides win, upper-cased. */
    public static Map<String, String> headers(Iterable<String> fields, Map<String, String> overrides) {
        return HeaderNames.of(fields, overrides);
    }

    /**
     * Headers for any field a format names: the override if there is one, else the field's name
     * split at its camel-case humps and upper-cased. For rows that are maps, whose fields are not
     * known in advance (and a table of no rows still prints its header).
     */
    public static Map<String, String> headers(Map<String, String> overrides) {
        return HeaderNames.forAnyField(overrides);
    }

    /** podman's NormalizeFormat: a table's spaces and \t become tabs, \n a newline, and a final newline is ensured. */
    static String normalize(String format) {
        boolean table = format.startsWith(TABLE);
        StringBuilder sb = new StringBuilder(format.length() + 1);
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (table && format.startsWith(TABLE, i)) {
                i += TABLE.length() - 1;
            } else if (c == '\\' && i + 1 < format.length() && (format.charAt(i + 1) == 't' || format.charAt(i + 1) == 'n')) {
                sb.append(format.charAt(++i) == 't' ? '\t' : '\n');
            } else if (table && c == ' ') {
                sb.append('\t');
            } else {
                sb.append(c);
            }
        }
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        return sb.toString();
    }

    /** podman's EnforceRange: a format without its own {{range .}} ... {{end}} is run once per item. */
    static String enforceRange(String format) {
        // podman's (?s){{\s*range\s*\.\s*}}.*{{\s*end\s*-?\s*}}, by hand
        for (int i = format.indexOf("{{"); i >= 0; i = format.indexOf("{{", i + 1)) {
            int after = rangeDotEnd(format, i);
            if (after >= 0) {
                for (int j = format.indexOf("{{", after); j >= 0; j = format.indexOf("{{", j + 1)) {
                    if (isEnd(format, j)) {
                        return format;
                    }
                }
                break; // no {{end}} after the first {{range .}}: none after a later one either
            }
        }
        return "{{range .}}" + format + "{{end -}}";
    }

    /** The index after "{{ range . }}" starting at i, or -1. */
    private static int rangeDotEnd(String s, int i) {
        int p = skipSpace(s, i + 2);
        if (!s.startsWith("range", p)) {
            return -1;
        }
        p = skipSpace(s, p + 5);
        if (p >= s.length() || s.charAt(p) != '.') {
            return -1;
        }
        p = skipSpace(s, p + 1);
        return s.startsWith("}}", p) ? p + 2 : -1;
    }

    /** Is there "{{ end }}" or "{{ end -}}" at i? */
    private static boolean isEnd(String s, int i) {
        int p = skipSpace(s, i + 2);
        if (!s.startsWith("end", p)) {
            return false;
        }
        p = skipSpace(s, p + 3);
        if (p < s.length() && s.charAt(p) == '-') {
            p = skipSpace(s, p + 1);
        }
        return s.startsWith("}}", p);
    }

    private static int skipSpace(String s, int p) {
        while (p < s.length() && isSpace(s.charAt(p))) {
            p++;
        }
        return p;
    }

    /** RE2's \s. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static String trim(String s) {
        int a = skipSpace(s, 0);
        int b = s.length();
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }
}
