package berth.engine.internal;

import berth.engine.ContainerDefaults;
import berth.kernel.model.ContainerConfig;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a container's /etc/hosts holds besides its own and its peers' lines: the base file's entries
 * ({@code base_hosts_file}) and the address of {@code host.containers.internal}
 * ({@code host_containers_internal_ip}, else chosen as podman does: the gateway of a network the host
 * itself serves, a bridge's, else the host's first address).
 *
 * @param internalIp empty for no host.containers.internal line
 */
record HostsBase(List<HostsFile.Entry> base, String internalIp) {
    HostsBase {
        base = List.copyOf(base);
    }

    /** For a container whose network status is {@code st} (null: none, or not set up yet). */
    static HostsBase of(ContainerDefaults d, ContainerConfig c, NetworkStatus st) {
        return new HostsBase(baseEntries(d.baseHostsFile(), c), internalIp(d.hostContainersInternalIp(), st));
    }

    private static List<HostsFile.Entry> baseEntries(String setting, ContainerConfig c) {
        String s = setting == null ? "" : setting;
        if (s.equals("none")) {
            return List.of();
        }
        Path file = s.isEmpty() ? Path.of("/etc/hosts") : s.equals("image") ? Path.of(c.rootfs(), "etc/hosts") : Path.of(s);
        try {
            return Files.isReadable(file) ? HostsFile.parse(Files.readAllLines(file)) : List.of();
        } catch (IOException e) {
            return List.of(); // unreadable: the loopback defaults, as for an empty file
        }
    }

    static String internalIp(String setting, NetworkStatus st) {
        String s = setting == null ? "" : setting;
        if (s.equals("none")) {
            return "";
        }
        if (!s.isEmpty()) {
            return s;
        }
        List<InetAddress> local = HostAddresses.all();
        return internalIp(st, local);
    }

    /** The first gateway (IPv4 before IPv6) that is one of the host's own addresses, else the host's first address. */
    static String internalIp(NetworkStatus st, List<InetAddress> local) {
        String v6 = "";
        if (st != null) {
            for (NetworkAttachment a : st.attachments()) {
                for (String g : a.gateways()) {
                    if (local.stream().anyMatch(l -> l.getHostAddress().equals(normal(g)))) {
                        if (!g.contains(":")) {
                            return g;
                        }
                        v6 = g;
                    }
                }
            }
        }
        return v6.isEmpty() ? HostAddresses.localIp(local) : v6;
    }

    /** An address as InetAddress prints it (IPv6 uncompressed), so that a gateway compares with the host's. */
    private static String normal(String ip) {
        try {
            return InetAddress.getByName(ip).getHostAddress(); // a literal: no lookup
        } catch (IOException e) {
            return ip;
        }
    }
}
