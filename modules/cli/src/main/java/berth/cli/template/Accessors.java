package berth.cli.template;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the method that {@code .Name} reads on a record or bean, once per class and name: a record
 * component or no-argument method called Name, name, getName or isName, matched without regard to
 * case (Go's {@code .ID} is Java's {@code id()}). The lookups are cached, so a thousand rows cost one
 * reflective search per column, not a thousand.
 */
final class Accessors {
    private static final ClassValue<Map<String, Optional<Method>>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Accessors() {
    }

    /** The accessor for the field, or empty if the class has none. */
    static Optional<Method> find(Class<?> type, String field) {
        Map<String, Optional<Method>> byName = CACHE.get(type);
        Optional<Method> m = byName.get(field);
        if (m == null) {
            m = Optional.ofNullable(lookUp(type, field));
            byName.put(field, m);
        }
        return m;
    }

    private static Method lookUp(Class<?> type, String field) {
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equalsIgnoreCase(field)) {
                    return accessible(c.getAccessor());
                }
            }
        }
        Method best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            int rank = rank(m.getName(), field);
            if (rank < bestRank) {
                best = m;
                bestRank = rank;
            }
        }
        return best == null ? null : accessible(best);
    }

    /** 0 for an exact match, then getX/isX, then the same ignoring case; MAX_VALUE for no match. */
    private static int rank(String method, String field) {
        if (method.equals(field)) {
            return 0;
        }
        if (method.equals("get" + field) || method.equals("is" + field)) {
            return 1;
        }
        if (method.equalsIgnoreCase(field)) {
            return 2;
        }
        if (method.equalsIgnoreCase("get" + field) || method.equalsIgnoreCase("is" + field)) {
            return 3;
        }
        return Integer.MAX_VALUE;
    }

    private static Method accessible(Method m) {
        // a public method of a class the module does not export (or a test's private record) needs this
        m.trySetAccessible();
        return m;
    }
}
