package berth.kernel.spi.network;

import berth.kernel.plugin.PluginProvider;

/** Provides a network backend (CNI, slirp4netns, a researcher's own). */
public interface NetworkBackendProvider extends PluginProvider {
    NetworkBackend create(NetworkEnvironment environment);
}
