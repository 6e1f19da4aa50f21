package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.model.NetworkDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the network backend for a mode, a network name or a recorded status, with errors that list what exists.
 * The bridge mode and named networks belong to one backend, podman's {@code network_backend}: the
 * {@code [network] network_backend} of containers.conf or {@code --network-backend}, else {@value #DEFAULT_BACKEND}.
 * The choice reaches the backends as that option, so the ones not chosen step aside.
 */
public final class NetworkBackends {
    /** The option (and containers.conf key) that names the backend of bridge and named networks. */
    public static final String OPTION = "network_backend";
    /** berth's backend for bridge and named networks when none is chosen. */
    public static final String DEFAULT_BACKEND = "cni";

    private final Plugins plugins;
    private final String choice;

    public NetworkBackends(Plugins plugins, Map<String, String> networkOptions) {
        this.plugins = plugins;
        String c = networkOptions.getOrDefault(OPTION, "").trim();
        this.choice = c.isEmpty() ? null : c;
    }

    /** The backend serving a mode ("bridge", "slirp4netns", a network's name). */
    public NetworkBackend forMode(String mode) {
        // a backend named after its mode (slirp4netns, pasta), without named networks that could take the
        // name: the others need not be made (no named-network backend lets a network take a mode's name)
        Optional<NetworkBackend> own = plugins.networkBackend(mode);
        if (own.isPresent() && !own.get().capabilities().contains(NetworkCapability.NAMED_NETWORKS) && own.get().handles(mode)) {
            return own.get();
        }
        Optional<NetworkBackend> named = named();
        if (named.isPresent() && named.get().handles(mode)) {
            return named.get();
        }
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
        Optional<NetworkBackend> b = plugins.networkBackend(id);
        if (b.isPresent() && b.get().id().equals(id)) {
            return b.get();
        }
        for (NetworkBackend other : plugins.networkBackends()) {
            if (other.id().equals(id)) {
                return other;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "network backend \"" + id
                + "\" that set up this container is not installed; its network cannot be torn down");
    }

    /**
     * The backend of bridge and named networks: the chosen one, which must be installed and have named
     * networks; without a choice berth's default, else (a distribution without it) the first with named
     * networks that serves the bridge mode. Empty when none is installed and none was chosen.
     */
    public Optional<NetworkBackend> named() {
        String wanted = choice != null ? choice : DEFAULT_BACKEND;
        Optional<NetworkBackend> chosen = plugins.networkBackend(wanted);
        if (chosen.isPresent() && chosen.get().id().equals(wanted) && chosen.get().capabilities().contains(NetworkCapability.NAMED_NETWORKS)) {
            return chosen; // the others are not made
        }
        List<NetworkBackend> all = plugins.networkBackends();
        for (NetworkBackend b : all) {
            if (b.id().equals(wanted) && b.capabilities().contains(NetworkCapability.NAMED_NETWORKS)) {
                return Optional.of(b);
            }
        }
        if (choice != null) {
            throw unsupported();
        }
        for (NetworkBackend b : all) {
            if (b.capabilities().contains(NetworkCapability.NAMED_NETWORKS) && b.handles("bridge")) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** What {@code info} shows as the network backend: the choice, else the backend serving named networks, else "". */
    public String describeChoice() {
        if (choice != null) {
            return choice;
        }
        try {
            return named().map(NetworkBackend::id).orElse("");
        } catch (BerthException e) {
            return "";
        }
    }

    private BerthException unsupported() {
        List<String> installed = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (NetworkBackend b : plugins.networkBackends()) {
            installed.add(b.id());
            if (b.capabilities().contains(NetworkCapability.NAMED_NETWORKS)) {
                named.add(b.id());
            }
        }
        boolean present = installed.contains(choice);
        return new BerthException(ErrorCode.CONFIG_INVALID, "unsupported network backend \"" + choice + "\" (network_backend in "
                + "containers.conf or --network-backend): " + (present ? "it has no named networks" : "it is not installed")
                + "; installed network backends: " + (installed.isEmpty() ? "none" : String.join(", ", installed))
                + ", of which serve bridge and named networks: " + (named.isEmpty() ? "none" : String.join(", ", named)));
    }

    /** The network the bridge mode joins: the named-network backend's default. */
    public String defaultNetwork() {
        return named().flatMap(NetworkBackend::defaultNetwork).orElseThrow(() -> new BerthException(ErrorCode.NETWORK_ERROR,
                "the bridge network mode needs a network backend with named networks, and none is installed (backends: "
                        + (plugins.networkProviderIds().isEmpty() ? "none" : String.join(", ", plugins.networkProviderIds()))
                        + "); use --network none"));
    }

    /** The named networks: those of the backend chosen for them (the others step aside). */
    public List<NetworkDefinition> all() {
        return named().map(NetworkBackend::networks).orElse(List.of());
    }
}
