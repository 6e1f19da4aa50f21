package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.spi.network.NetworkStatus;
import berth.support.FileLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A set-up container's /etc/hosts and /etc/resolv.conf after it joined or left a network: its own
 * lines for the addresses it gained or lost, the name servers the network brought or took away
 * (libpod's addNameserver/removeNameserver and etchosts.Add/Remove). The files are bind-mounted, so
 * they are rewritten in place, never renamed. The peers' lines are {@link PeerHosts}'s job.
 */
final class ConnectionEtcFiles {
    private final Container container;
    private final Path hosts;
    private final Path resolvConf;
    private final LockManager locks;
    private final Consumer<String> warnings;

    ConnectionEtcFiles(Container container, Path bundleDir, LockManager locks, Consumer<String> warnings) {
        this.container = container;
        this.hosts = bundleDir.resolve("hosts");
        this.resolvConf = bundleDir.resolve("resolv.conf");
        this.locks = locks;
        this.warnings = warnings;
    }

    void connected(NetworkStatus before, NetworkStatus after) {
        Set<String> gained = addresses(after);
        gained.removeAll(addresses(before));
        List<String> names = List.of(PeerHosts.hostname(container.config()), container.name());
        editHosts(lines -> {
            List<String> out = new ArrayList<>(lines);
            for (String ip : gained) {
                out.removeIf(l -> l.startsWith(ip + "\t"));
                out.add(ip + "\t" + String.join(" ", names));
            }
            return out;
        });
        List<String> servers = new ArrayList<>(after.dnsServers());
        servers.removeAll(before.dnsServers());
        if (!servers.isEmpty()) {
            editResolvConf(lines -> withNameservers(lines, servers));
        }
    }

    void disconnected(NetworkStatus before, NetworkStatus after) {
        Set<String> kept = addresses(after);
        Set<String> lost = addresses(before);
        lost.removeAll(kept);
        editHosts(lines -> {
            List<String> out = new ArrayList<>(lines);
            out.removeIf(l -> lost.contains(l.trim().split("\\s+")[0]));
            // every peer's line goes (those of the network left behind too); with networks left the peers'
            // lines are rebuilt from the state next
            return PeerHosts.keepOwnLines(out, withPrefixes(before));
        });
        List<String> servers = new ArrayList<>(before.dnsServers());
        servers.removeAll(after.dnsServers());
        if (!servers.isEmpty()) {
            editResolvConf(lines -> {
                List<String> out = new ArrayList<>(lines);
                out.removeIf(l -> l.trim().startsWith("nameserver") && servers.contains(l.trim().substring("nameserver".length()).trim()));
                return out;
            });
        }
    }

    /** New name servers ahead of the others, as libpod adds them. */
    static List<String> withNameservers(List<String> lines, List<String> servers) {
        List<String> out = new ArrayList<>();
        boolean placed = false;
        for (String l : lines) {
            if (!placed && l.trim().startsWith("nameserver")) {
                servers.forEach(s -> out.add("nameserver " + s));
                placed = true;
            }
            out.add(l);
        }
        if (!placed) {
            servers.forEach(s -> out.add("nameserver " + s));
        }
        return out;
    }

    /** The addresses with their prefixes ("10.89.0.2/24"): the subnets whose peers' lines go. */
    private static List<String> withPrefixes(NetworkStatus st) {
        List<String> out = new ArrayList<>();
        st.addresses().values().forEach(out::addAll);
        return out;
    }

    private static Set<String> addresses(NetworkStatus st) {
        Set<String> out = new HashSet<>();
        st.addresses().values().forEach(ips -> ips.forEach(ip -> out.add(PeerHosts.stripPrefix(ip))));
        return out;
    }

    private void editHosts(java.util.function.UnaryOperator<List<String>> edit) {
        if (!Files.exists(hosts)) {
            return; // --network host, or a bundle not written yet: nothing to bring along
        }
        try (FileLocks.Held ignored = locks.lock(PeerHosts.HOSTS_LOCK)) {
            rewrite(hosts, edit);
        }
    }

    private void editResolvConf(java.util.function.UnaryOperator<List<String>> edit) {
        if (Files.exists(resolvConf)) {
            rewrite(resolvConf, edit);
        }
    }

    private void rewrite(Path file, java.util.function.UnaryOperator<List<String>> edit) {
        try {
            Files.write(file, edit.apply(Files.readAllLines(file)), StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            warnings.accept("cannot update " + file.getFileName() + " of container " + container.name() + ": " + e.getMessage());
        }
    }
}
