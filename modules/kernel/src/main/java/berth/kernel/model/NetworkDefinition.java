package berth.kernel.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A named network as {@code network ls / inspect} show it. */
public record NetworkDefinition(String name, String driver, String subnet, String gateway, Map<String, Object> details) {
    /** {@code details} keeps the backend's order (inspect shows it so), unmodifiable. */
    public NetworkDefinition {
        Map<String, Object> d = new LinkedHashMap<>();
        details.forEach((k, v) -> d.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        details = Collections.unmodifiableMap(d);
    }
}
