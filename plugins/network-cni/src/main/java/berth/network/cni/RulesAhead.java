package berth.network.cni;

import berth.kernel.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes a container's iptables rules in one batch just before the plugins' DELs, which then find
 * them gone and go on (a DEL tolerates what is already undone, as the CNI specification requires).
 *
 * <p>Why: deleting from nf_tables costs an RCU grace period (the closing netlink socket waits for the
 * transaction's destroy work, which calls synchronize_rcu: 10 to 17 ms here), and each plugin deletes
 * in its own process, one rule per process: the firewall plugin two rules, the bridge plugin its
 * masquerade jump and the rules of its chain. One {@code iptables-restore --noflush} batch pays one
 * grace period for all of them. The per-container chains are left to the plugins: the bridge plugin's
 * teardown makes its chain again when it is missing and then deletes it, so deleting it here would not
 * save that grace period.
 *
 * <p>Only rules the plugins would delete are touched: those whose comment names the container (the
 * bridge's masquerade, portmap's), and in the firewall plugin's admin chain the two rules it makes per
 * container address. A rule that does not match (another iptables version's format, an IPv6 address)
 * is left to its plugin, and a refused batch changes nothing.
 */
final class RulesAhead {
    /** The plugins whose whole DEL the batch does when {@link #delete} says so. */
    static final Set<String> TYPES = Set.of("firewall");

    /** The firewall plugin's admin chain when its configuration names none. */
    private static final String DEFAULT_ADMIN_CHAIN = "CNI-FORWARD";

    private RulesAhead() {
    }

    /**
     * Deletes what it can in one batch. True when the batch ran and held every firewall plugin rule
     * of every attachment: the firewall plugin's DEL (iptables backend: delete those rules, ignoring
     * the ones that are gone) then has nothing left to do, and {@link CniChain#del} skips it.
     */
    static boolean delete(String containerId, List<CniNetworkBackend.Attachment> attachments) {
        Set<String> firewall = firewallRules(attachments);
        String save = IptablesJanitor.run(List.of("iptables-save"));
        if (save == null) {
            return false;
        }
        Set<String> saved = new java.util.HashSet<>(List.of(save.split("\n")));
        String script = script(save, containerId, firewall == null ? Set.of() : firewall);
        if (script.isEmpty() || !IptablesJanitor.restore(script)) {
            return false;
        }
        berth.kernel.trace.Trace.mark("cni: rules deleted ahead in one batch");
        return firewall != null && saved.containsAll(firewall);
    }

    /** The batch: per table, a -D for each saved rule of the container's; empty when there is none. */
    static String script(String save, String containerId, Set<String> firewallRules) {
        Map<String, IptablesJanitor.Leftovers> commented = IptablesJanitor.find(save, containerId);
        List<String> filterRules = new ArrayList<>();
        String table = null;
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
            } else if ("filter".equals(table) && firewallRules.contains(line)) {
                filterRules.add(line);
            }
        }
        if (commented.containsKey("filter")) {
            filterRules.addAll(commented.get("filter").rules());
        }
        StringBuilder sb = new StringBuilder();
        appendTable(sb, "nat", commented.containsKey("nat") ? commented.get("nat").rules() : List.of());
        appendTable(sb, "filter", filterRules);
        return sb.toString();
    }

    private static void appendTable(StringBuilder sb, String table, List<String> rules) {
        if (rules.isEmpty()) {
            return;
        }
        sb.append('*').append(table).append('\n');
        for (String rule : new LinkedHashSet<>(rules)) {
            sb.append("-D").append(rule.substring(2)).append('\n');
        }
        sb.append("COMMIT\n");
    }

    /**
     * The firewall plugin's two rules per IPv4 address, as iptables-save prints them; null when some
     * firewall plugin's rules are not all known (an IPv6 address, a firewalld backend, no result).
     */
    static Set<String> firewallRules(List<CniNetworkBackend.Attachment> attachments) {
        Set<String> rules = new LinkedHashSet<>();
        for (CniNetworkBackend.Attachment a : attachments) {
            JsonObject firewall = a.plugins().stream().filter(p -> "firewall".equals(p.str("type"))).findFirst().orElse(null);
            if (firewall == null) {
                continue;
            }
            if (a.result == null || !usesIptables(firewall)) {
                return null;
            }
            String chain = firewall.str("iptablesAdminChainName", DEFAULT_ADMIN_CHAIN);
            for (JsonObject ip : new JsonObject(a.result).objects("ips")) {
                String address = ip.str("address", "");
                int slash = address.indexOf('/');
                if (slash < 0 || address.indexOf(':') >= 0) {
                    return null; // IPv6: ip6tables, left to the plugin
                }
                String host = address.substring(0, slash) + "/32";
                rules.add("-A " + chain + " -d " + host + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
                rules.add("-A " + chain + " -s " + host + " -j ACCEPT");
            }
        }
        return rules;
    }

    /**
     * Whether the firewall plugin keeps its rules in iptables. With no backend configured it asks D-Bus
     * whether firewalld runs; berth cannot know its answer, so only an explicit iptables counts, or no
     * firewalld on the system bus (its socket absent).
     */
    private static boolean usesIptables(JsonObject firewall) {
        String b = firewall.str("backend", "");
        return b.equals("iptables") || b.isEmpty() && !FIREWALLD_POSSIBLE;
    }

    /** firewalld is reached over the system bus; without its socket the plugin picks iptables. */
    private static final boolean FIREWALLD_POSSIBLE = java.nio.file.Files.exists(java.nio.file.Path.of("/run/dbus/system_bus_socket"))
            || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/dbus/system_bus_socket"));
}
