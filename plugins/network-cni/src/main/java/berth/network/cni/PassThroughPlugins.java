package berth.network.cni;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which plugin calls of a chain would only pass the previous result through: berth does that in
 * process instead of starting the plugin (a Go binary: about 10 ms of CPU per call, each way).
 *
 * <p>Two chained plugins of containernetworking/plugins, in the configuration podman's and berth's
 * bridge networks give them, do nothing else:
 * <ul>
 *   <li>{@code portmap} without port mappings in its runtimeConfig: ADD prints the previous result as
 *       it got it, DEL returns at once (its rules are made, and looked for, per mapping);</li>
 *   <li>{@code tuning} with no setting (no sysctl, mac, mtu, promisc, allmulti, args, runtimeConfig;
 *       no {@code MAC} in CNI_ARGS): ADD enters the namespace, changes nothing and prints the previous
 *       result; DEL restores a backup that only a setting makes, so there is none.</li>
 * </ul>
 * The chain's order is kept: a skipped call's place is where the previous result is handed on. A
 * plugin that could fail there (no previous result to pass on) is still run, and so is every
 * CHECK. {@code PassThroughPluginsTest} checks both claims against the installed binaries.
 */
final class PassThroughPlugins {
    /** The keys every plugin's stdin has; with only these (and empty capabilities) tuning has nothing to do. */
    private static final Set<String> TUNING_NEUTRAL = Set.of("type", "name", "cniVersion", "prevResult", "capabilities");

    private PassThroughPlugins() {
    }

    /**
     * True when running {@code command} ("ADD" or "DEL") of this plugin, with this stdin and CNI_ARGS,
     * would change nothing and (for ADD) print {@code stdin.prevResult} unchanged.
     */
    static boolean passesThrough(String command, Map<String, Object> stdin, String cniArgs) {
        boolean add = command.equals("ADD");
        if (!add && !command.equals("DEL")) {
            return false;
        }
        if (add && !(stdin.get("prevResult") instanceof Map)) {
            return false; // the plugin would refuse to run unchained: let it say so
        }
        Object type = stdin.get("type");
        if ("portmap".equals(type)) {
            return !hasPortMappings(stdin.get("runtimeConfig"));
        }
        if ("tuning".equals(type)) {
            return TUNING_NEUTRAL.containsAll(stdin.keySet()) && noCapability(stdin.get("capabilities")) && !setsMac(cniArgs);
        }
        return false;
    }

    private static boolean hasPortMappings(Object runtimeConfig) {
        return runtimeConfig instanceof Map<?, ?> rc && rc.get("portMappings") instanceof List<?> l && !l.isEmpty();
    }

    /** tuning's only capability is mac; one declared may bring a runtimeConfig another runtime would fill. */
    private static boolean noCapability(Object caps) {
        if (caps == null) {
            return true;
        }
        if (!(caps instanceof Map<?, ?> m)) {
            return false;
        }
        for (Object v : m.values()) {
            if (!Boolean.FALSE.equals(v)) {
                return false;
            }
        }
        return true;
    }

    /** CNI_ARGS {@code K=V;K=V}: tuning takes a MAC from it (its key is matched without regard to case). */
    private static boolean setsMac(String cniArgs) {
        if (cniArgs == null || cniArgs.isEmpty()) {
            return false;
        }
        for (String kv : cniArgs.split(";")) {
            int eq = kv.indexOf('=');
            String k = (eq < 0 ? kv : kv.substring(0, eq)).trim();
            if (k.equalsIgnoreCase("mac")) {
                return true;
            }
        }
        return false;
    }
}
