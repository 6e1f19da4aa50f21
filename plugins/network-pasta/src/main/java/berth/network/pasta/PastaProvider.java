package berth.network.pasta;

import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkEnvironment;

/** Provider of the {@code pasta} network backend. Construction does nothing; all work waits for {@link #create}. */
public final class PastaProvider implements NetworkBackendProvider {
    @Override
    public String id() {
        return PastaBackend.ID;
    }

    @Override
    public String description() {
        return "user-mode networking through pasta (passt), the host's addresses copied into the container; ports forwarded by pasta";
    }

    @Override
    public NetworkBackend create(NetworkEnvironment environment) {
        return new PastaBackend(environment);
    }
}
