/**
 * The slirp4netns network backend: user-mode networking for a container's namespace through a
 * detached {@code slirp4netns} process (one per container), with ports published through its API
 * socket. Provides {@link berth.kernel.spi.network.NetworkBackendProvider} with the id
 * {@code slirp4netns}; exports nothing.
 */
module berth.network.slirp4netns {
    requires berth.kernel;
    requires berth.support;

    provides berth.kernel.spi.network.NetworkBackendProvider with berth.network.slirp4netns.Slirp4netnsProvider;
}
