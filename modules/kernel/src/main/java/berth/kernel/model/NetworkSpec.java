package berth.kernel.model;

import java.util.List;
import java.util.Map;

/**
 * How a container is networked. {@code mode} is {@code none}, {@code host}, {@code bridge} (joined to
 * {@code networks}) or a backend's own mode such as {@code slirp4netns}; {@code options} carries the
 * mode's options ({@code slirp4netns:port_handler=...}).
 */
public record NetworkSpec(String mode, List<String> networks, Map<String, String> options, List<PortMapping> ports) {
    public static final NetworkSpec NONE = new NetworkSpec("none", List.of(), Map.of(), List.of());

    public NetworkSpec {
        networks = List.copyOf(networks);
        options = Map.copyOf(options);
        ports = List.copyOf(ports);
    }

    public boolean isNone() {
        return mode.equals("none");
    }

    public boolean isHost() {
        return mode.equals("host");
    }

    /** True when berth must create a network namespace of its own for the container. */
    public boolean needsNamespace() {
        return !isHost();
    }

    /** True when a network backend plugin configures the namespace. */
    public boolean needsBackend() {
        return !isNone() && !isHost();
    }
}
