package berth.engine.internal;

import berth.engine.events.EventStatus;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.NetworkDefinition;
import java.util.ArrayList;
import java.util.List;

/** {@code network create/ls/rm}: named networks, through the backend that has them. */
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
}
