package berth.network.netavark;

import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkEnvironment;

/** The {@code netavark} network backend (cheap to construct: nothing is read until a backend is made). */
public final class NetavarkNetworkProvider implements NetworkBackendProvider {
    @Override
    public String id() {
        return NetavarkNetworkBackend.ID;
    }

    @Override
    public String description() {
        return "netavark and aardvark-dns (podman 4's JSON networks, ipam.db shared with podman); network_backend = \"netavark\"";
    }

    @Override
    public NetworkBackend create(NetworkEnvironment environment) {
        return new NetavarkNetworkBackend(NetavarkSettings.from(environment));
    }
}
