package berth.network.netavark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The host's UDP sockets bound to an IPv4 address and port ({@code /proc/net/udp}), by socket inode. */
final class UdpListeners {
    private UdpListeners() {
    }

    /** The inodes of the sockets bound to one of the addresses and the port; null when the table cannot be read. */
    static Set<String> inodes(List<String> addresses, int port) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net/udp"));
        } catch (IOException e) {
            return null;
        }
        Set<String> locals = new HashSet<>();
        for (String a : addresses) {
            if (Ipv4Net.isIpv4(a)) {
                locals.add(local(a, port));
            }
        }
        Set<String> out = new HashSet<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && locals.contains(f[1])) {
                out.add(f[1] + "#" + f[9]);
            }
        }
        return out;
    }

    /** True when each IPv4 address has a socket on the port that is not one of {@code before} (a fresh bind). */
    static boolean freshlyBound(List<String> addresses, int port, Set<String> before) {
        Set<String> now = inodes(addresses, port);
        if (now == null) {
            return true; // cannot tell: do not wait
        }
        for (String a : addresses) {
            if (!Ipv4Net.isIpv4(a)) {
                continue; // an IPv6 server: /proc/net/udp6, not waited for
            }
            String prefix = local(a, port) + "#";
            if (now.stream().noneMatch(s -> s.startsWith(prefix) && !before.contains(s))) {
                return false;
            }
        }
        return true;
    }

    /** The kernel prints the address as the 32-bit value in host (little-endian) byte order. */
    private static String local(String address, int port) {
        return String.format(Locale.ROOT, "%08X:%04X", Integer.reverseBytes(Ipv4Net.parseAddress(address, "address")), port);
    }
}
