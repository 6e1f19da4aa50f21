package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.spi.network.NetworkStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code network connect/disconnect} (libpod's NetworkConnect/NetworkDisconnect): the container's
 * record always (its spec's network list, so inspect shows it and a restart keeps it); a container
 * whose network is set up also gets its backend's connect or disconnect in its namespace, its
 * recorded status, and its /etc/hosts and resolv.conf (and its peers' /etc/hosts) brought along.
 * The backend is the one that set the container up, whatever the current choice.
 */
public final class NetworkConnections {
    private final EngineContext ctx;
    private final ExitTracker exits;
    private final NetworkBackends backends;
    private final PeerHosts peerHosts;

    public NetworkConnections(EngineContext ctx, ExitTracker exits, NetworkBackends backends, PeerHosts peerHosts) {
        this.ctx = ctx;
        this.exits = exits;
        this.backends = backends;
        this.peerHosts = peerHosts;
    }

    public Container connect(Container c0, String networkName, List<String> aliases) {
        String network = existing(networkName);
        return ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            NetworkSpec spec = requireBridge(c);
            if (spec.networks().contains(network)) {
                if (c.status() == ContainerStatus.CONFIGURED) {
                    return c; // podman's Docker compatibility: a container not yet set up is left as it is
                }
                throw new BerthException(ErrorCode.NETWORK_CONNECTED, "container " + c.id() + " is already connected to network \""
                        + network + "\"");
            }
            Container updated = withSpec(c, NetworkAliases.connected(spec, network, aliases));
            NetworkStatus current = liveStatus(c);
            if (current != null) {
                NetworkBackend b = connecting(c, current);
                if (!b.handles(network)) {
                    throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot connect container " + c.name() + " to network \""
                            + network + "\": network backend " + b.id() + ", which set the container up, does not serve it");
                }
                Path ns = Path.of(c.state().netNsPath());
                NetworkStatus next = b.connect(ContainerNetwork.request(updated, ns), current, network, NetworkAliases.of(updated.config().network(), network));
                updated = save(updated.withState(updated.state().toBuilder().networkStatus(next.toJson()).build()));
                etcFiles(updated).connected(current, next);
                peerHosts.refresh(updated);
            } else {
                updated = save(updated);
            }
            ctx.events().networkConnection(updated, network, EventStatus.NETWORK_CONNECT);
            return updated;
        });
    }

    /** With {@code force}, a backend that fails to take the container off is a warning and the record changes all the same. */
    public Container disconnect(Container c0, String networkName, boolean force) {
        String network = existing(networkName);
        return ctx.withLock(c0.id(), () -> {
            Container c = exits.applyExit(ctx.state().container(c0.id()));
            NetworkSpec spec = requireBridge(c);
            if (!spec.networks().contains(network)) {
                throw new BerthException(ErrorCode.USAGE, "container " + c.name() + " is not connected to network " + network);
            }
            Container updated = withSpec(c, NetworkAliases.disconnected(spec, network));
            NetworkStatus current = liveStatus(c);
            if (current != null && current.addresses().containsKey(network)) {
                NetworkStatus next;
                try {
                    next = connecting(c, current).disconnect(ContainerNetwork.request(c, Path.of(c.state().netNsPath())), current, network);
                } catch (BerthException e) {
                    if (!force) {
                        throw e;
                    }
                    ctx.warnings().accept(e.getMessage());
                    next = without(current, network);
                }
                // its peers on that network lose its line while the record still says where it was
                peerHosts.updatePeers(onlyOn(c, network), false);
                updated = save(updated.withState(updated.state().toBuilder().networkStatus(next.toJson()).build()));
                etcFiles(updated).disconnected(current, next);
                peerHosts.refresh(updated);
            } else {
                updated = save(updated);
            }
            ctx.events().networkConnection(updated, network, EventStatus.NETWORK_DISCONNECT);
            return updated;
        });
    }

    /** The network's name, or podman's error for one that does not exist. */
    private String existing(String nameOrId) {
        for (NetworkDefinition d : backends.all()) {
            if (d.name().equals(nameOrId) || nameOrId.equals(d.details().get("id"))) {
                return d.name();
            }
        }
        throw new BerthException(ErrorCode.NO_SUCH_NETWORK, "unable to find network with name or ID " + nameOrId);
    }

    /** Only containers in the bridge mode (or on a named network) have networks to join and leave. */
    private static NetworkSpec requireBridge(Container c) {
        NetworkSpec spec = c.config().network();
        if (!spec.mode().equals("bridge") && !spec.networks().contains(spec.mode())) {
            throw new BerthException(ErrorCode.NETWORK_MODE_INVALID, "\"" + spec.mode() + "\" is not supported");
        }
        return spec;
    }

    /**
     * The recorded status when the container's network is set up now (created, running, paused), else
     * null; for one started off every network, an empty status of the backend of named networks.
     */
    private NetworkStatus liveStatus(Container c) {
        ContainerStatus s = c.status();
        if (c.state().netNsPath() == null || !(s == ContainerStatus.CREATED || s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED)) {
            return null;
        }
        NetworkStatus st = NetworkStatus.fromJson(c.state().networkStatus());
        if (st == null && offEveryNetwork(c.config().network())) {
            return backends.named().map(b -> NetworkStatus.empty(b.id())).orElse(null);
        }
        return st;
    }

    /**
     * A bridge-mode container taken off its last network: it keeps a namespace with loopback only, and
     * no backend sets anything up for it until it is connected again (not the default network).
     */
    public static boolean offEveryNetwork(NetworkSpec spec) {
        return spec.mode().equals("bridge") && spec.networks().isEmpty();
    }

    private NetworkBackend connecting(Container c, NetworkStatus current) {
        NetworkBackend b = backends.byId(current.backend());
        if (!b.capabilities().contains(NetworkCapability.CONNECT)) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "container " + c.name() + " is networked by backend " + b.id()
                    + ", which cannot connect or disconnect a running container; stop it first");
        }
        return b;
    }

    private static NetworkStatus without(NetworkStatus st, String network) {
        List<NetworkAttachment> rest = new ArrayList<>(st.attachments());
        rest.removeIf(a -> a.network().equals(network));
        return new NetworkStatus(st.backend(), rest, st.dnsServers(), st.dnsSearch(), st.hostEntries(), st.details());
    }

    /** The container as its peers on one network know it: that network only, as recorded before the change. */
    private static Container onlyOn(Container c, String network) {
        NetworkSpec s = c.config().network();
        return withSpec(c, new NetworkSpec(s.mode(), List.of(network), s.options(), s.ports()));
    }

    private static Container withSpec(Container c, NetworkSpec spec) {
        return new Container(c.config().toBuilder().network(spec).build(), c.state());
    }

    private ConnectionEtcFiles etcFiles(Container c) {
        return new ConnectionEtcFiles(c, ctx.paths(c.id()).bundleDir(), ctx.locks(), ctx.warnings());
    }

    private Container save(Container c) {
        ctx.state().saveContainer(c);
        return c;
    }
}
