package berth.kernel.spi.network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a network setup, kept in the container's state so teardown and inspect can use it.
 * Both maps keep the backend's order (networks in attach order), unmodifiable.
 *
 * @param addresses the container's IP addresses by network name, in attach order
 * @param details backend data needed at teardown (PIDs, CNI results); plain JSON values
 */
public record NetworkStatus(String backend, Map<String, List<String>> addresses, Map<String, Object> details) {
    public NetworkStatus {
        Map<String, List<String>> a = new LinkedHashMap<>();
        addresses.forEach((k, v) -> a.put(Objects.requireNonNull(k), List.copyOf(v)));
        addresses = Collections.unmodifiableMap(a);
        Map<String, Object> d = new LinkedHashMap<>();
        details.forEach((k, v) -> d.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        details = Collections.unmodifiableMap(d);
    }
}
