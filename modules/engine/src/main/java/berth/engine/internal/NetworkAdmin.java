package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.NetworkDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code network create/ls/rm/prune}: named networks, through the backend that has them. */
public final class NetworkAdmin {
    private final EngineContext ctx;
    private final NetworkBackends backends;

    public NetworkAdmin(EngineContext ctx, NetworkBackends backends) {
        this.ctx = ctx;
        this.backends = backends;
    }

    /** podman's {@code network_backend} as {@code info} shows it. */
    public String backendName() {
        return backends.describeChoice();
    }

    public List<NetworkDefinition> networks() {
        return backends.all();
    }

    public NetworkDefinition create(String name, String subnet, String gateway) {
        NetworkDefinition made = backends.named().orElseThrow(() -> new BerthException(ErrorCode.NETWORK_ERROR,
                "no network backend supports named networks (is the CNI plugin installed?)")).createNetwork(name, subnet, gateway);
        ctx.events().network(String.valueOf(made.details().getOrDefault("id", made.name())), made.name(), EventStatus.CREATE);
        return made;
    }

    /** Refused while a container uses it. */
    public void remove(String name) {
        List<String> users = new ArrayList<>();
        for (Container c : ctx.state().allContainers()) {
            if (c.config().network().networks().contains(name) || c.config().network().mode().equals(name)) {
                users.add(c.name());
            }
        }
        if (!users.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "network " + name + " is in use by containers: " + String.join(", ", users)
                    + "; remove them first");
        }
        backends.forMode(name).removeNetwork(name);
        ctx.events().network(name, name, EventStatus.REMOVE);
    }

    /** {@code network prune --filter}: podman's prune filters (label, label!, until). */
    public PruneOutcome prune(List<String> filters) {
        List<String> removed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        prune(PruneFilters.parse(filters, Instant.now()), removed, errors);
        return new PruneOutcome(removed, errors);
    }

    /** What a prune removed, and an error (naming the network and the cause) for each it could not. */
    public record PruneOutcome(List<String> removed, List<String> errors) {
        public PruneOutcome {
            removed = List.copyOf(removed);
            errors = List.copyOf(errors);
        }
    }

    /**
     * Named networks no container uses; the default network always stays. berth's networks carry no
     * labels, so a label filter spares them all (as podman does for a network without the label).
     */
    void prune(PruneFilters filters, List<String> removed, List<String> errors) {
        Set<String> used = new HashSet<>();
        for (Container c : ctx.state().allContainers()) {
            used.addAll(c.config().network().networks());
            used.add(c.config().network().mode());
        }
        String dflt = backends.named().flatMap(b -> b.defaultNetwork()).orElse("");
        for (NetworkDefinition n : networks()) {
            if (used.contains(n.name()) || n.name().equals(dflt) || !filters.matches(null, null)) {
                continue;
            }
            try {
                remove(n.name());
                removed.add(n.name());
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
    }
}
