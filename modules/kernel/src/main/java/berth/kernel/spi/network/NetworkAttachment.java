package berth.kernel.spi.network;

import java.util.List;

/**
 * One interface a backend gave a container on one network.
 *
 * @param network the network's name (the backend's own for an unnamed mode, "slirp4netns" say)
 * @param interfaceName the interface inside the container ("eth0"), or empty
 * @param addresses the interface's addresses in CIDR form ("10.89.0.5/24")
 * @param gateways the gateways reached through it
 * @param macAddress its MAC address, or empty
 */
public record NetworkAttachment(String network, String interfaceName, List<String> addresses, List<String> gateways,
                                String macAddress) {
    public NetworkAttachment {
        addresses = List.copyOf(addresses);
        gateways = List.copyOf(gateways);
        interfaceName = interfaceName == null ? "" : interfaceName;
        macAddress = macAddress == null ? "" : macAddress;
    }
}
