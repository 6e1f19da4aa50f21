package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.support.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parses {@code --network MODE[:OPT=VAL,...]} into a {@link NetworkSpec}. pasta's options are its own
 * command-line arguments ({@code pasta:-t,8080,--mtu,1500}), whose order and repeats matter: they are
 * kept as the text after the colon under the key {@code pasta}, as podman keeps them.
 */
public final class NetworkModes {
    /** The mode of the pasta backend, whose options are a command line. */
    static final String PASTA = "pasta";

    private NetworkModes() {
    }

    /**
     * {@code defaultNetwork} names the network the bridge mode joins (asked only for that mode, as it
     * loads the backend); any other name than none, host, slirp4netns and pasta is a network's own name.
     */
    public static NetworkSpec parse(String mode, List<PortMapping> ports, Supplier<String> defaultNetwork) {
        String m = mode;
        Map<String, String> opts = new LinkedHashMap<>();
        int colon = mode.indexOf(':');
        if (colon >= 0 && mode.substring(0, colon).equals(PASTA)) {
            m = PASTA;
            opts.put(PASTA, mode.substring(colon + 1));
        } else if (colon >= 0) {
            m = mode.substring(0, colon);
            for (String kv : mode.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                opts.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        if (m.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "empty network mode in --network \"" + mode + "\"");
        }
        if ((m.equals("none") || m.equals("host")) && !ports.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot publish ports with --network " + m
                    + (m.equals(mode) ? "" : " (\"" + mode + "\")"));
        }
        boolean named = !(m.equals("none") || m.equals("host") || m.equals("slirp4netns") || m.equals(PASTA) || m.equals("bridge"));
        // a network's name becomes a file name and an interface's: "../x" or "a b" must not get that far
        if (named && !Names.isValidName(m)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --network \"" + mode + "\": \"" + m
                    + "\" is no mode (none, host, bridge, slirp4netns, pasta) and no network name (" + Names.NAME_RULE + ")");
        }
        List<String> networks = m.equals("none") || m.equals("host") || m.equals("slirp4netns") || m.equals(PASTA) ? List.of()
                : List.of(m.equals("bridge") ? defaultNetwork.get() : m);
        return new NetworkSpec(m, networks, opts, ports);
    }
}
