package berth.kernel.spi.network;

import java.util.Map;

/** A named network as {@code network ls / inspect} show it. */
public record NetworkDefinition(String name, String driver, String subnet, String gateway, Map<String, Object> details) {
    public NetworkDefinition {
        details = Map.copyOf(details);
    }
}
