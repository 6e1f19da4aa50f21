package berth.kernel.spi.network;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a network setup, kept in the container's state so teardown and inspect can use it.
 *
 * @param addresses the container's IP addresses by network name
 * @param details backend data needed at teardown (PIDs, CNI results); plain JSON values
 */
public record NetworkStatus(String backend, Map<String, List<String>> addresses, Map<String, Object> details) {
    public NetworkStatus {
        addresses = Map.copyOf(addresses);
        details = Map.copyOf(details);
    }
}
