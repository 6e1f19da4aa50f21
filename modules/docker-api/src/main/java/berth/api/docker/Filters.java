package berth.api.docker;

import berth.kernel.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's {@code filters} query parameter: {@code {"label":["a=b"]}} or the older {@code {"label":{"a=b":true}}}. */
final class Filters {
    private Filters() {
    }

    static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.MalformedJsonException e) {
            throw ApiError.badRequest("invalid filters: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw ApiError.badRequest("invalid filters: not a JSON object");
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            List<String> values = new ArrayList<>();
            if (e.getValue() instanceof List) {
                ((List<?>) e.getValue()).forEach(v -> values.add(String.valueOf(v)));
            } else if (e.getValue() instanceof Map) {
                ((Map<?, ?>) e.getValue()).forEach((k, v) -> {
                    if (Boolean.TRUE.equals(v)) {
                        values.add(String.valueOf(k));
                    }
                });
            } else if (e.getValue() != null) {
                values.add(String.valueOf(e.getValue()));
            }
            out.put(String.valueOf(e.getKey()), values);
        }
        return out;
    }

    /** A {@code label} filter value ({@code KEY} or {@code KEY=VALUE}) against a set of labels. */
    static boolean labelMatches(String filter, Map<String, String> labels) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
