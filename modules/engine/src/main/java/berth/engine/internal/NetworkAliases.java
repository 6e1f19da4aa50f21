package berth.engine.internal;

import berth.kernel.model.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's names on one network beyond its own ({@code network connect --alias}), kept in its
 * network spec's options as {@code alias:NETWORK=a,b} so that every state backend keeps them and a
 * restart finds them. They are the engine's: backends get the spec without them (their options are
 * the mode's), and peers read them through /etc/hosts ({@link PeerHosts}).
 */
public final class NetworkAliases {
    private static final String PREFIX = "alias:";

    private NetworkAliases() {
    }

    /** The aliases the container has on {@code network}, in the order given. */
    public static List<String> of(NetworkSpec spec, String network) {
        String v = spec.options().get(PREFIX + network);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String a : v.split(",")) {
                if (!a.isBlank() && !out.contains(a.trim())) {
                    out.add(a.trim());
                }
            }
        }
        return out;
    }

    /** The spec joined to one more network, with its aliases (none: no option). */
    public static NetworkSpec connected(NetworkSpec spec, String network, List<String> aliases) {
        List<String> networks = new ArrayList<>(spec.networks());
        if (!networks.contains(network)) {
            networks.add(network);
        }
        Map<String, String> options = new LinkedHashMap<>(spec.options());
        options.remove(PREFIX + network);
        List<String> names = new ArrayList<>();
        for (String a : aliases) {
            if (!a.isBlank() && !names.contains(a.trim())) {
                names.add(a.trim());
            }
        }
        if (!names.isEmpty()) {
            options.put(PREFIX + network, String.join(",", names));
        }
        return new NetworkSpec(spec.mode(), networks, options, spec.ports());
    }

    /**
     * The spec without a network. A container taken off the network its mode names stays in the bridge
     * mode (podman's: the mode says how it is networked, the list on which networks).
     */
    public static NetworkSpec disconnected(NetworkSpec spec, String network) {
        List<String> networks = new ArrayList<>(spec.networks());
        networks.remove(network);
        Map<String, String> options = new LinkedHashMap<>(spec.options());
        options.remove(PREFIX + network);
        String mode = spec.mode().equals(network) ? "bridge" : spec.mode();
        return new NetworkSpec(mode, networks, options, spec.ports());
    }

    /** The spec as a backend gets it: the mode's own options only. */
    public static NetworkSpec forBackend(NetworkSpec spec) {
        boolean any = false;
        for (String k : spec.options().keySet()) {
            any |= k.startsWith(PREFIX);
        }
        if (!any) {
            return spec;
        }
        Map<String, String> options = new LinkedHashMap<>(spec.options());
        options.keySet().removeIf(k -> k.startsWith(PREFIX));
        return new NetworkSpec(spec.mode(), spec.networks(), options, spec.ports());
    }
}
