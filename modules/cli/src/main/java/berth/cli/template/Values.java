package berth.cli.template;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** How Go's templates see Java values: their type names, truth, length, iteration order. */
final class Values {
    /** Go's invalid reflect.Value: a map key that is not there. Printed as "<no value>"; distinct from nil. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private Values() {
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float;
    }

    static boolean isList(Object v) {
        return v instanceof Collection || v != null && v.getClass().isArray();
    }

    /** The type name Go would print for the value in an error message. */
    static String typeName(Object v) {
        if (v == null || v == NO_VALUE) {
            return "interface {}";
        }
        if (v instanceof String || v instanceof Character) {
            return v instanceof String ? "string" : "int32";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "int";
        }
        if (v instanceof Short) {
            return "int16";
        }
        if (v instanceof Byte) {
            return "int8";
        }
        if (v instanceof Double) {
            return "float64";
        }
        if (v instanceof Float) {
            return "float32";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Map) {
            return "map[string]interface {}";
        }
        if (v instanceof Collection) {
            return "[]interface {}";
        }
        if (v.getClass().isArray()) {
            return "[]" + v.getClass().getComponentType().getSimpleName();
        }
        return v.getClass().getSimpleName();
    }

    /** A Java declared type as Go would name it: String is string, List<String> is []string. */
    static String goTypeName(java.lang.reflect.Type t) {
        if (t instanceof java.lang.reflect.ParameterizedType p) {
            java.lang.reflect.Type raw = p.getRawType();
            java.lang.reflect.Type[] a = p.getActualTypeArguments();
            if (raw instanceof Class<?> c && Collection.class.isAssignableFrom(c) && a.length == 1) {
                return "[]" + goTypeName(a[0]);
            }
            if (raw instanceof Class<?> c && Map.class.isAssignableFrom(c) && a.length == 2) {
                return "map[" + goTypeName(a[0]) + "]" + goTypeName(a[1]);
            }
            return goTypeName(raw);
        }
        if (!(t instanceof Class<?> c)) {
            return "interface {}";
        }
        if (c == String.class) {
            return "string";
        }
        if (c == long.class || c == Long.class || c == int.class || c == Integer.class) {
            return "int";
        }
        if (c == double.class || c == Double.class) {
            return "float64";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "bool";
        }
        if (c == Object.class) {
            return "interface {}";
        }
        if (Collection.class.isAssignableFrom(c)) {
            return "[]interface {}";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "map[string]interface {}";
        }
        return c.getSimpleName();
    }

    /** Go's truth: false, 0, nil, an empty string, list or map are false; everything else true. */
    static boolean isTrue(Object v) {
        if (v == null || v == NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (isInteger(v)) {
            return ((Number) v).longValue() != 0;
        }
        if (isFloat(v)) {
            return ((Number) v).doubleValue() != 0;
        }
        if (v instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v.getClass().isArray()) {
            return Array.getLength(v) > 0;
        }
        if (v instanceof Optional<?> o) {
            return o.isPresent();
        }
        return true;
    }

    static List<Object> asList(Object v) {
        if (v instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> objects = (List<Object>) l;
            return objects;
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        int n = Array.getLength(v);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Array.get(v, i));
        }
        return out;
    }

    /** Go visits map entries in key order (numbers numerically, strings bytewise), in range and in printing. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Iterable<Map.Entry<Object, Object>> sortedEntries(Map<?, ?> m) {
        Map<Object, Object> map = (Map<Object, Object>) m;
        if (m instanceof TreeMap<?, ?> t && t.comparator() == null || m.size() < 2) {
            return map.entrySet();
        }
        try {
            return new TreeMap<Object, Object>((Map) map).entrySet();
        } catch (ClassCastException | NullPointerException e) {
            TreeMap<String, Map.Entry<Object, Object>> byText = new TreeMap<>();
            for (Map.Entry<Object, Object> e2 : map.entrySet()) {
                byText.put(String.valueOf(e2.getKey()), e2);
            }
            return byText.values();
        }
    }

    /** A record's components by name, in declaration order; for %v, %+v and json. */
    static Map<String, Object> recordFields(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                java.lang.reflect.Method m = c.getAccessor();
                m.trySetAccessible();
                out.put(c.getName(), m.invoke(r));
            } catch (ReflectiveOperationException e) {
                out.put(c.getName(), null);
            }
        }
        return out;
    }

    /** A record component as Go would name the field: "name" is "Name". */
    static String exported(String component) {
        return component.isEmpty() ? component : Character.toUpperCase(component.charAt(0)) + component.substring(1);
    }

    /** Plain JSON-able values (Map, List, String, numbers, Boolean, null) for the json function. */
    static Object plain(Object v) {
        if (v == null || v == NO_VALUE) {
            return null;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return out;
        }
        if (isList(v)) {
            List<Object> out = new ArrayList<>();
            for (Iterator<Object> it = asList(v).iterator(); it.hasNext();) {
                out.add(plain(it.next()));
            }
            return out;
        }
        if (v instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : recordFields(r).entrySet()) {
                out.put(exported(e.getKey()), plain(e.getValue()));
            }
            return out;
        }
        if (v instanceof Optional<?> o) {
            return plain(o.orElse(null));
        }
        return v.toString();
    }
}
