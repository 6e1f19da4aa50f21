/**
 * The netavark network backend, podman 4's default: network definitions in podman's JSON format
 * ({@code NAME.json} in the network config directory), addresses allocated in podman's bbolt
 * {@code ipam.db} (so podman and berth never hand out one address twice), and the container's
 * interfaces, firewall rules, published ports and aardvark-dns names made by running
 * {@code netavark setup}/{@code teardown}. Provides
 * {@link berth.kernel.spi.network.NetworkBackendProvider} with the id {@code netavark}; exports
 * nothing.
 */
module berth.network.netavark {
    requires berth.kernel;
    requires berth.support;
    requires berth.bolt.support;

    provides berth.kernel.spi.network.NetworkBackendProvider with berth.network.netavark.NetavarkNetworkProvider;
}
