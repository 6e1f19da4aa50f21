package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HostRoutesTest {
    /** /proc/net/route is the main table: every prefixed route `ip -4 route show table main` lists, and no other. */
    @Test
    void theRoutesAreThoseIpShows() throws Exception {
        // a network another process sets up may add a route between the two reads: three tries
        for (int attempt = 1; ; attempt++) {
            try {
                compareOnce();
                return;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void compareOnce() throws Exception {
        Process p = new ProcessBuilder("ip", "-4", "route", "show", "table", "main").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Set<String> expected = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            int dev = java.util.Arrays.asList(f).indexOf("dev");
            if (f[0].contains("/") && !f[0].endsWith("/0") && dev > 0) {
                expected.add(f[0] + " " + f[dev + 1]);
            }
        }
        Set<String> read = new TreeSet<>();
        for (HostRoutes.Route r : HostRoutes.ipv4()) {
            int a = r.destination();
            read.add(((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255) + "/" + r.prefix()
                    + " " + r.iface());
        }
        assertFalse(expected.isEmpty(), "this host has a prefixed route: " + out);
        assertEquals(expected, read);
    }
}
