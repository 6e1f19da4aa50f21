package berth.network.slirp4netns;

import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkEnvironment;

/** Provider of the {@code slirp4netns} network backend. Construction does nothing; all work waits for {@link #create}. */
public final class Slirp4netnsProvider implements NetworkBackendProvider {
    @Override
    public String id() {
        return "slirp4netns";
    }

    @Override
    public String description() {
        return "user-mode networking through slirp4netns; ports published through its API socket";
    }

    @Override
    public NetworkBackend create(NetworkEnvironment environment) {
        return new Slirp4netnsBackend(environment);
    }
}
