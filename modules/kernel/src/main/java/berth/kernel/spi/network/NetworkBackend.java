package berth.kernel.spi.network;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkDefinition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sets up and tears down a container's network inside a namespace the engine made (and later
 * removes). Teardown must tolerate a half-made setup and being called twice: it is retried after
 * crashes. What the container needs to know of its network (addresses, name servers, host lines)
 * comes back typed in the {@link NetworkStatus}; the engine writes the container's /etc files.
 * The namespace arrives with its loopback interface up (the engine brings it up when it makes the
 * namespace, as podman's libnetwork does), so a backend need not.
 */
public interface NetworkBackend {
    String id();

    /** True when this backend serves the given network mode ("bridge", a network name, "slirp4netns"). */
    boolean handles(String mode);

    /** What the backend offers beyond one container's setup and teardown. */
    default Set<NetworkCapability> capabilities() {
        return Set.of();
    }

    /**
     * The network that the {@code bridge} mode joins when the user names none (podman's "podman"), if
     * this backend has named networks.
     */
    default Optional<String> defaultNetwork() {
        return Optional.empty();
    }

    NetworkStatus setup(NetworkRequest request);

    void teardown(NetworkRequest request, NetworkStatus status);

    /**
     * The engine's way to tear down when it removes the namespace right after: as {@link #teardown},
     * except that what lives only inside the namespace (its interfaces, and a helper process whose
     * only hold on the host is that namespace, already told to exit) need not be waited for; it goes
     * with the namespace. Whatever the host sees (published ports, rules, leases, a helper that holds
     * them) must still be gone on return. podman's slirp4netns is left to exit on its own this way
     * (its exit pipe closes with conmon). Default: {@link #teardown}.
     */
    default void teardownDiscardingNamespace(NetworkRequest request, NetworkStatus status) {
        teardown(request, status);
    }

    /**
     * The engine's way to set up: as {@link #setup}, but the network may still be coming up when it
     * returns, until {@link #awaitReady} returns. The engine calls {@link #awaitReady} once the runtime
     * has created the container, so a backend whose helper process takes a while to come up lets it
     * do so while the runtime works (podman's slirp4netns too comes up beside other work). A failure of
     * either is torn down like a failed setup. Default: the whole {@link #setup}.
     */
    default NetworkStatus beginSetup(NetworkRequest request) {
        return setup(request);
    }

    /**
     * Waits until the network {@link #beginSetup} returned carries traffic, and finishes what needs it
     * ready (published ports); the status stays as {@link #beginSetup} returned it. Default: ready
     * once set up.
     */
    default void awaitReady(NetworkRequest request, NetworkStatus status) {
    }

    /**
     * Joins a set-up container (its namespace is {@code request.netnsPath()}) to one more named network of
     * this backend, on the next free interface ({@code eth1}, ...), and returns the whole new status: the
     * old attachments, then the new one. Called only when {@link #capabilities()} has
     * {@link NetworkCapability#CONNECT}; must leave nothing behind when it fails.
     *
     * @param aliases extra DNS names for the container on that network (besides its name)
     */
    default NetworkStatus connect(NetworkRequest request, NetworkStatus current, String network, List<String> aliases) {
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network backend " + id() + " cannot connect a running container to a network");
    }

    /**
     * Takes a set-up container off one of its networks and returns the status without that attachment.
     * Called only when {@link #capabilities()} has {@link NetworkCapability#CONNECT}.
     */
    default NetworkStatus disconnect(NetworkRequest request, NetworkStatus current, String network) {
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network backend " + id() + " cannot disconnect a running container from a network");
    }

    /** Named networks this backend manages; empty for backends without named networks. */
    default List<NetworkDefinition> networks() {
        return List.of();
    }

    default NetworkDefinition createNetwork(String name, String subnet, String gateway) {
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network backend " + id() + " has no named networks");
    }

    /**
     * {@link #createNetwork(String, String, String)} with podman's further switches; a backend that has
     * none of them takes only {@link NetworkCreateOptions#DEFAULTS}.
     */
    default NetworkDefinition createNetwork(String name, String subnet, String gateway, NetworkCreateOptions options) {
        if (options.equals(NetworkCreateOptions.DEFAULTS)) {
            return createNetwork(name, subnet, gateway);
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network backend " + id() + " cannot create "
                + (options.internal() ? "internal " : "") + "networks" + (options.disableDns() ? " without DNS" : ""));
    }

    /**
     * Removes everything the backend made for this engine on the host, every network (the default one
     * too) with its host-side objects: {@code system reset}. Called with no container set up.
     */
    default void reset() {
        for (NetworkDefinition d : networks()) {
            removeNetwork(d.name());
        }
    }

    default void removeNetwork(String name) {
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network backend " + id() + " has no named networks");
    }
}
