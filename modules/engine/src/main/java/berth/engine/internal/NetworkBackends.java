package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.model.NetworkDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the network backend for a mode, a network name or a recorded status, with errors that list what exists. */
public final class NetworkBackends {
    private final Plugins plugins;

    public NetworkBackends(Plugins plugins) {
        this.plugins = plugins;
    }

    /** The backend serving a mode ("bridge", "slirp4netns", a network's name). */
    public NetworkBackend forMode(String mode) {
        for (NetworkBackend b : plugins.networkBackends()) {
            if (b.handles(mode)) {
                return b;
            }
        }
        List<String> ids = plugins.networkProviderIds();
        List<String> names = new ArrayList<>();
        try {
            all().forEach(d -> names.add(d.name()));
        } catch (BerthException e) {
            // the list is a hint only
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "network \"" + mode + "\" not found: no such network (networks: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ") and no network backend handles that mode (backends: "
                + (ids.isEmpty() ? "none" : String.join(", ", ids)) + ")");
    }

    /** The backend that set a container up (its status names the backend's id, not a mode). */
    public NetworkBackend byId(String id) {
        for (NetworkBackend b : plugins.networkBackends()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "network backend \"" + id
                + "\" that set up this container is not installed; its network cannot be torn down");
    }

    /** The backend with named networks that serves the bridge mode, if one is installed. */
    public Optional<NetworkBackend> named() {
        for (NetworkBackend b : plugins.networkBackends()) {
            if (b.capabilities().contains(NetworkCapability.NAMED_NETWORKS) && b.handles("bridge")) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The network the bridge mode joins: the named-network backend's default. */
    public String defaultNetwork() {
        return named().flatMap(NetworkBackend::defaultNetwork).orElseThrow(() -> new BerthException(ErrorCode.NETWORK_ERROR,
                "the bridge network mode needs a network backend with named networks, and none is installed (backends: "
                        + (plugins.networkProviderIds().isEmpty() ? "none" : String.join(", ", plugins.networkProviderIds()))
                        + "); use --network none"));
    }

    public List<NetworkDefinition> all() {
        List<NetworkDefinition> out = new ArrayList<>();
        for (NetworkBackend b : plugins.networkBackends()) {
            out.addAll(b.networks());
        }
        return out;
    }
}
