/**
 * The pasta network backend: user-mode networking for a container's namespace through one
 * {@code pasta} process (Debian's passt package) per container, which copies the host's address,
 * gateway and interface name into the namespace and forwards published ports with its {@code -t}/{@code -u}
 * specs. Provides {@link berth.kernel.spi.network.NetworkBackendProvider} with the id {@code pasta};
 * exports nothing.
 */
module berth.network.pasta {
    requires berth.kernel;
    requires berth.support;

    provides berth.kernel.spi.network.NetworkBackendProvider with berth.network.pasta.PastaProvider;
}
