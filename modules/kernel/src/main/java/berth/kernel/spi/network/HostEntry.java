package berth.kernel.spi.network;

import java.util.List;

/** A line a backend wants in the container's /etc/hosts: an address and its names. */
public record HostEntry(String address, List<String> names) {
    public HostEntry {
        names = List.copyOf(names);
    }
}
