package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.SpecSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a container's /etc/hosts and /etc/resolv.conf, which depend on its network. Written
 * with the bundle, and written again in place once a network set up beside the runtime's create is
 * ready (the files are bind-mounted: a rename would not be seen inside).
 */
final class EtcFiles {
    private EtcFiles() {
    }

    /**
     * podman's /etc/hosts (see {@link HostsFile}): the {@code --add-host} entries, the base file's,
     * host.containers.internal, then the given lines (the container's own addresses, its peers'), and
     * 127.0.0.1 for its names when none of those has them (no network, or one not set up yet).
     */
    static String hosts(ContainerConfig c, String hostname, Map<String, List<String>> entries, HostsBase base) {
        List<HostsFile.Entry> user = new ArrayList<>();
        for (String extra : c.settings().extraHosts()) {
            int colon = extra.indexOf(':'); // --add-host NAME:IP, checked at create
            user.add(new HostsFile.Entry(extra.substring(colon + 1), List.of(extra.substring(0, colon))));
        }
        Map<String, List<String>> container = new LinkedHashMap<>();
        if (!base.internalIp().isEmpty()) {
            container.put(base.internalIp(), List.of(HostsFile.HOST_CONTAINERS_INTERNAL));
        }
        boolean self = false;
        for (Map.Entry<String, List<String>> e : entries.entrySet()) {
            container.putIfAbsent(e.getKey(), e.getValue());
            self |= e.getValue().contains(hostname);
        }
        if (!self) {
            container.merge("127.0.0.1", List.of(hostname, c.name()), (a, b) -> {
                List<String> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            });
        }
        return HostsFile.render(user, base.base(), container);
    }

    /**
     * The network's search domains (as podman: netavark's dns.podman) ahead of the host's on one line,
     * the network's own name servers (as podman: slirp4netns's resolver first), then the rest of the
     * host's resolv.conf without loopback name servers, which mean nothing inside a network namespace.
     */
    static String resolvConf(ContainerConfig c, List<String> nameservers, List<String> searchDomains) {
        try {
            Path host = Path.of("/etc/resolv.conf");
            return resolvConf(c, nameservers, searchDomains, Files.isReadable(host) ? Files.readAllLines(host) : List.of());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read the host's /etc/resolv.conf: " + e.getMessage(), e);
        }
    }

    /** As {@link #resolvConf(ContainerConfig, List, List)}, from the given lines of the host's file. */
    static String resolvConf(ContainerConfig c, List<String> nameservers, List<String> searchDomains, List<String> hostLines) {
        String generated = fromHostAndNetwork(c, nameservers, searchDomains, hostLines);
        SpecSettings s = c.settings();
        if (s.dnsServers().isEmpty() && s.dnsSearch().isEmpty() && s.dnsOptions().isEmpty()) {
            return generated;
        }
        return withFlags(generated, s);
    }

    /**
     * {@code --dns}, {@code --dns-search} and {@code --dns-option} replace the name servers, search
     * domains and options they name, as podman's do ({@code --dns-search .} means none).
     */
    private static String withFlags(String generated, SpecSettings s) {
        List<String> search = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : generated.split("\n")) {
            String t = line.trim();
            if (isSearch(line)) {
                search.add(line);
            } else if (t.startsWith("nameserver")) {
                servers.add(line);
            } else if (t.startsWith("options")) {
                options.add(line);
            } else if (!t.isEmpty()) {
                other.add(line);
            }
        }
        if (!s.dnsSearch().isEmpty()) {
            search = s.dnsSearch().equals(List.of(".")) ? List.of() : List.of("search " + String.join(" ", s.dnsSearch()));
        }
        if (!s.dnsServers().isEmpty()) {
            servers = s.dnsServers().stream().map(ns -> "nameserver " + ns).toList();
        }
        if (!s.dnsOptions().isEmpty()) {
            options = List.of("options " + String.join(" ", s.dnsOptions()));
        }
        StringBuilder out = new StringBuilder();
        for (List<String> part : List.of(other, search, servers, options)) {
            part.forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    private static String fromHostAndNetwork(ContainerConfig c, List<String> nameservers, List<String> searchDomains,
                                             List<String> hostLines) {
        StringBuilder out = new StringBuilder();
        if (!searchDomains.isEmpty()) {
            List<String> search = new ArrayList<>(searchDomains);
            for (String line : hostLines) {
                if (isSearch(line)) {
                    String[] words = line.trim().split("\\s+");
                    for (int i = 1; i < words.length; i++) {
                        if (!search.contains(words[i])) {
                            search.add(words[i]);
                        }
                    }
                }
            }
            out.append("search ").append(String.join(" ", search)).append('\n');
        }
        for (String ns : nameservers) {
            out.append("nameserver ").append(ns).append('\n');
        }
        for (String line : hostLines) {
            String t = line.trim();
            if (!c.network().isHost() && t.startsWith("nameserver") && (t.contains(" 127.") || t.endsWith("::1"))) {
                continue;
            }
            if (t.startsWith("nameserver") && nameservers.contains(t.substring("nameserver".length()).trim())) {
                continue;
            }
            if (!searchDomains.isEmpty() && isSearch(line)) {
                continue; // merged into the search line above
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static boolean isSearch(String line) {
        String t = line.trim();
        return t.startsWith("search ") || t.startsWith("search\t");
    }

    /** Both files rewritten in place in the bundle directory (same inode: truncated, then written). */
    static void rewrite(Path bundleDir, ContainerConfig c, String hostname, Map<String, List<String>> hostEntries,
                        HostsBase base, List<String> nameservers, List<String> searchDomains) {
        try {
            if (!c.network().isHost() && !c.settings().noHosts()) {
                Files.writeString(bundleDir.resolve("hosts"), hosts(c, hostname, hostEntries, base));
            }
            Files.writeString(bundleDir.resolve("resolv.conf"), resolvConf(c, nameservers, searchDomains));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot write /etc files for container " + c.name() + " in " + bundleDir
                    + ": " + e.getMessage(), e);
        }
    }
}
