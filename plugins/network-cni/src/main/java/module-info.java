/**
 * The CNI network backend: runs the containernetworking plugins (bridge, host-local, portmap,
 * firewall, tuning, loopback, or any others a conflist names) per the CNI specification, keeps one
 * {@code NAME.conflist} per named network in the engine's network config directory, and creates the
 * default bridge network on first use. Provides {@link berth.kernel.spi.network.NetworkBackendProvider}
 * with the id {@code cni}; exports nothing.
 */
module berth.network.cni {
    requires berth.kernel;
    requires berth.support;

    provides berth.kernel.spi.network.NetworkBackendProvider with berth.network.cni.CniNetworkProvider;
}
