package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Host ports published by containers. The portmap plugin only writes DNAT rules and holds no socket,
 * so nothing on the host would stop two containers (or a container and a host server) from claiming
 * one port: before ADD, berth checks its own registry (a line per published port in the run
 * directory) and tries to bind the port on the host address.
 */
final class HostPorts {
    private final Path registry;

    HostPorts(Path registry) {
        this.registry = registry;
    }

    /** A port is the same host port when protocol and number match and either address is the wildcard or both are equal. */
    static boolean clash(PortMapping a, PortMapping b) {
        if (!a.protocol().equals(b.protocol()) || a.hostPort() != b.hostPort()) {
            return false;
        }
        String ia = hostAddress(a);
        String ib = hostAddress(b);
        return ia.equals("0.0.0.0") || ib.equals("0.0.0.0") || ia.equals(ib);
    }

    static String hostAddress(PortMapping p) {
        return berth.support.HostPorts.hostAddress(p);
    }

    static String describe(PortMapping p) {
        return berth.support.HostPorts.describe(p);
    }

    /** Checks the request's own ports: IPv4 literal host addresses, no port twice. */
    static void validate(List<PortMapping> ports) {
        for (int i = 0; i < ports.size(); i++) {
            PortMapping p = ports.get(i);
            if (!p.hostIp().isEmpty()) {
                if (p.hostIp().indexOf(':') >= 0) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot publish " + p
                            + ": the cni backend publishes ports on IPv4 host addresses only");
                }
                Ipv4Subnet.parseAddress(p.hostIp(), p.toString());
            }
            for (int j = 0; j < i; j++) {
                if (clash(p, ports.get(j))) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "host port " + describe(p)
                            + " is published twice (" + ports.get(j) + " and " + p + ")");
                }
            }
        }
    }

    /** Must hold the run-directory lock. Fails naming the port when it is taken; otherwise records it. */
    void reserve(String containerId, List<PortMapping> ports) {
        List<Entry> entries = read();
        entries.removeIf(e -> e.containerId.equals(containerId));
        for (PortMapping p : ports) {
            for (Entry e : entries) {
                if (clash(p, e.port)) {
                    throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + ": host port " + describe(p)
                            + " is already published by container " + e.containerId + " (as " + e.port + ")");
                }
            }
            berth.support.HostPorts.requireFree(p);
        }
        for (PortMapping p : ports) {
            entries.add(new Entry(containerId, p));
        }
        write(entries);
    }

    /** Must hold the run-directory lock. */
    void release(String containerId) {
        List<Entry> entries = read();
        if (entries.removeIf(e -> e.containerId.equals(containerId))) {
            write(entries);
        }
    }

    private record Entry(String containerId, PortMapping port) {
    }

    private List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(registry)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(registry, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 5) {
                    continue;
                }
                try {
                    String ip = f[2].equals("0.0.0.0") ? "" : f[2];
                    out.add(new Entry(f[0], new PortMapping(ip, Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[1])));
                } catch (RuntimeException e) {
                    // a damaged line reserves nothing
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot read " + registry + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void write(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (Entry e : entries) {
            String line = e.containerId + " " + e.port.protocol() + " " + hostAddress(e.port) + " " + e.port.hostPort()
                    + " " + e.port.containerPort();
            if (seen.add(line)) {
                sb.append(line).append('\n');
            }
        }
        // NONE: the registry lives in the run dir (a tmpfs) and means nothing after a reboot; atomic is enough
        CniNetworkBackend.writeFile(registry, sb.toString(), AtomicFiles.Durability.NONE);
    }
}
