package berth.network.netavark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's IPv4 routes with a prefix (/proc/net/route), which new networks must not overlap. */
final class HostRoutes {
    private HostRoutes() {
    }

    static List<Ipv4Net> ipv4() {
        List<Ipv4Net> out = new ArrayList<>();
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
                    out.add(new Ipv4Net(dest, prefix));
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return out;
    }
}
