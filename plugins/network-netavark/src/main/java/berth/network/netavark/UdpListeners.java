package berth.network.netavark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Whether the host has UDP sockets bound to given IPv4 addresses and a port ({@code /proc/net/udp}). */
final class UdpListeners {
    private UdpListeners() {
    }

    static boolean allListen(List<String> addresses, int port) {
        String table;
        try {
            table = Files.readString(Path.of("/proc/net/udp"));
        } catch (IOException e) {
            return true; // cannot tell: do not wait
        }
        for (String a : addresses) {
            if (!Ipv4Net.isIpv4(a)) {
                continue; // an IPv6 server: /proc/net/udp6, not waited for
            }
            // the kernel prints the address as the 32-bit value in host (little-endian) byte order
            String local = String.format(Locale.ROOT, "%08X:%04X", Integer.reverseBytes(Ipv4Net.parseAddress(a, "address")), port);
            if (!table.contains(" " + local + " ")) {
                return false;
            }
        }
        return true;
    }
}
