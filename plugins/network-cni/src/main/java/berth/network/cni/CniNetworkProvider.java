package berth.network.cni;

import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkEnvironment;

/** Provider of the {@code cni} network backend. Construction does nothing; all work waits for {@link #create}. */
public final class CniNetworkProvider implements NetworkBackendProvider {
    @Override
    public String id() {
        return "cni";
    }

    @Override
    public String description() {
        return "CNI plugins (bridge, host-local, portmap, firewall, tuning); named bridge networks";
    }

    @Override
    public NetworkBackend create(NetworkEnvironment environment) {
        return new CniNetworkBackend(environment);
    }
}
