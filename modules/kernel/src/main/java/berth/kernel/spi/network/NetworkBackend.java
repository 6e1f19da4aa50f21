package berth.kernel.spi.network;

import java.util.List;

/**
 * Sets up and tears down a container's network inside a namespace the engine created. Teardown must
 * tolerate a half-made setup (it is retried after crashes).
 */
public interface NetworkBackend {
    String id();

    /** True when this backend serves the given network mode ("bridge", a network name, "slirp4netns"). */
    boolean handles(String mode);

    NetworkStatus setup(NetworkRequest request);

    void teardown(NetworkRequest request, NetworkStatus status);

    /** Named networks this backend manages; empty for backends without named networks. */
    default List<NetworkDefinition> networks() {
        return List.of();
    }

    default NetworkDefinition createNetwork(String name, String subnet, String gateway) {
        throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INVALID_ARGUMENT,
                "network backend " + id() + " has no named networks");
    }

    default void removeNetwork(String name) {
        throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INVALID_ARGUMENT,
                "network backend " + id() + " has no named networks");
    }
}
