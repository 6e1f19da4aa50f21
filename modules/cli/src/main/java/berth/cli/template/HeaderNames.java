package berth.cli.template;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column headers as podman's report.Headers makes them: a field name split at its camel-case
 * humps and upper-cased ("CreatedHuman" is "CREATED HUMAN", "ID" stays "ID"), then the command's
 * overrides ("ID" is "CONTAINER ID" for ps).
 */
final class HeaderNames {
    private HeaderNames() {
    }

    static Map<String, String> of(Iterable<String> fields, Map<String, String> overrides) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String f : fields) {
            headers.put(f, of(f, overrides));
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            headers.put(e.getKey(), e.getValue().toUpperCase());
        }
        return headers;
    }

    /** The header of one field: its override, else its camel-case words upper-cased. */
    static String of(String field, Map<String, String> overrides) {
        String o = overrides.get(field);
        return o != null ? o.toUpperCase() : String.join(" ", splitCamelCase(field)).toUpperCase();
    }

    /**
     * Headers for whatever fields a format names, without a list of them: rows that are maps have
     * no struct to take the names from, and a table with no rows still prints its header.
     */
    static Map<String, String> forAnyField(Map<String, String> overrides) {
        return new AbstractMap<>() {
            @Override
            public String get(Object key) {
                return key instanceof String field ? of(field, overrides) : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return key instanceof String;
            }

            @Override
            public Set<Map.Entry<String, String>> entrySet() {
                Map<String, String> known = new LinkedHashMap<>();
                for (String k : overrides.keySet()) {
                    known.put(k, of(k, overrides));
                }
                return known.entrySet();
            }
        };
    }

    /** containers/common's camelcase.Split: "PDFLoader" is [PDF, Loader], "GL11Version" is [GL, 11, Version]. */
    static List<String> splitCamelCase(String s) {
        List<StringBuilder> runs = new ArrayList<>();
        int lastClass = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int cls = Character.isLowerCase(cp) ? 1 : Character.isUpperCase(cp) ? 2 : Character.isDigit(cp) ? 3 : 4;
            if (cls == lastClass) {
                runs.get(runs.size() - 1).appendCodePoint(cp);
            } else {
                runs.add(new StringBuilder().appendCodePoint(cp));
            }
            lastClass = cls;
        }
        // an upper-case run followed by a lower-case one gives its last letter to it: "PDFL","oader" -> "PDF","Loader"
        for (int i = 0; i < runs.size() - 1; i++) {
            StringBuilder a = runs.get(i);
            StringBuilder b = runs.get(i + 1);
            if (a.length() > 0 && b.length() > 0 && Character.isUpperCase(a.codePointAt(0)) && Character.isLowerCase(b.codePointAt(0))) {
                int last = a.offsetByCodePoints(a.length(), -1);
                b.insert(0, a.substring(last));
                a.setLength(last);
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder r : runs) {
            if (r.length() > 0) {
                out.add(r.toString());
            }
        }
        return out;
    }
}
