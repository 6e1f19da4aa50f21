package berth.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's IPv4 routes with a prefix (/proc/net/route), which a network backend must not give a
 * new network's subnet: the same reading for every backend that picks subnets (CNI, netavark).
 */
public final class HostRoutes {
    /** A route: its destination address (big-endian int, 192.168.88.0 is 0xC0A85800), prefix length and interface. */
    public record Route(int destination, int prefix, String iface) {
    }

    private HostRoutes() {
    }

    public static List<Route> ipv4() {
        List<Route> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net/route"));
        } catch (IOException e) {
            return out;
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                // little-endian hex: 0058A8C0 is 192.168.88.0
                int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
                int prefix = Integer.bitCount((int) Long.parseLong(f[7], 16));
                if (prefix > 0) {
                    out.add(new Route(dest, prefix, f[0]));
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return out;
    }
}
