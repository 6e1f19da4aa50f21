package berth.kernel.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, lenient read access to a parsed JSON object, and a small builder for writing one. Missing
 * keys give the supplied default, so records written by older berth versions still load.
 */
public final class JsonObject {
    private final Map<String, Object> map;

    public JsonObject() {
        this.map = new LinkedHashMap<>();
    }

    public JsonObject(Map<String, Object> map) {
        this.map = map;
    }

    public Map<String, Object> asMap() {
        return map;
    }

    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    public Object raw(String key) {
        return map.get(key);
    }

    public String str(String key) {
        Object v = map.get(key);
        return v == null ? null : v.toString();
    }

    public String str(String key, String dflt) {
        String s = str(key);
        return s == null ? dflt : s;
    }

    public long lng(String key, long dflt) {
        Object v = map.get(key);
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    public int integer(String key, int dflt) {
        return (int) lng(key, dflt);
    }

    public double dbl(String key, double dflt) {
        Object v = map.get(key);
        return v instanceof Number ? ((Number) v).doubleValue() : dflt;
    }

    public boolean bool(String key, boolean dflt) {
        Object v = map.get(key);
        return v instanceof Boolean ? (Boolean) v : dflt;
    }

    @SuppressWarnings("unchecked")
    public JsonObject obj(String key) {
        Object v = map.get(key);
        return v instanceof Map ? new JsonObject((Map<String, Object>) v) : null;
    }

    public List<String> strings(String key) {
        Object v = map.get(key);
        if (!(v instanceof List)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add(o == null ? "" : o.toString()); // as Go decodes a null in a []string
        }
        return Collections.unmodifiableList(out);
    }

    @SuppressWarnings("unchecked")
    public List<JsonObject> objects(String key) {
        Object v = map.get(key);
        if (!(v instanceof List)) {
            return List.of();
        }
        List<JsonObject> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            if (o instanceof Map) {
                out.add(new JsonObject((Map<String, Object>) o));
            }
        }
        return out;
    }

    public Map<String, String> stringMap(String key) {
        Object v = map.get(key);
        if (!(v instanceof Map)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue() == null ? "" : e.getValue().toString()); // as Go decodes it
        }
        return Collections.unmodifiableMap(out);
    }

    /** Builder-style put that skips nulls, keeping records small. */
    public JsonObject put(String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
        return this;
    }

    @Override
    public String toString() {
        return Json.write(map);
    }
}
