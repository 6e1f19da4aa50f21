package berth.network.pasta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.PortMapping;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** podman 5's rules for pasta's arguments (containers/common libnetwork/pasta createPastaArgs), as berth applies them. */
class PastaCommandLineTest {
    private static final Path NETNS = Path.of("/run/netns/x");
    private static final Path PID = Path.of("/run/berth/networks/pasta/abc.pid");

    private static List<String> args(String configured, String own, PortMapping... ports) {
        return PastaCommandLine.build(configured, own, List.of(ports), NETNS, PID, false).args();
    }

    @Test
    void withoutOptionsBerthAddsPodmansDefaultsAndEndsWithThePidFileAndTheNamespace() {
        List<String> a = args(null, null);
        assertEquals("--config-net", a.get(0));
        assertTrue(Collections.indexOfSubList(a, List.of("--dns-forward", "169.254.1.1")) > 0, a.toString());
        for (String o : List.of("-t", "-u", "-T", "-U")) {
            assertTrue(Collections.indexOfSubList(a, List.of(o, "none")) > 0, o + " none missing: " + a);
        }
        assertTrue(a.contains("--no-map-gw") && a.contains("--quiet"), a.toString());
        assertEquals(List.of("--pid", PID.toString(), "--netns", NETNS.toString()), a.subList(a.size() - 4, a.size()));
        assertFalse(a.contains("--runas"), "not root: no --runas");
    }

    @Test
    void containersConfOptionsComeBeforeTheContainersOwnAndBothKeepTheirOrderAndRepeats() {
        List<String> a = args("--mtu,1500,-t,9000", "-t,9001,--mtu,9000");
        int first = a.indexOf("--mtu");
        assertEquals(List.of("--mtu", "1500", "-t", "9000", "-t", "9001", "--mtu", "9000"), a.subList(first, first + 8));
        assertFalse(Collections.indexOfSubList(a, List.of("-t", "none")) >= 0, "the user's -t replaces -t none: " + a);
        assertTrue(Collections.indexOfSubList(a, List.of("-u", "none")) >= 0, a.toString());
    }

    @Test
    void publishedPortsBecomeTcpAndUdpSpecsWithTheirHostAddress() {
        List<String> a = args(null, null, new PortMapping("", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 5353, 53, "udp"),
                new PortMapping("::1", 8443, 443, "tcp"));
        assertTrue(Collections.indexOfSubList(a, List.of("-t", "8080:80", "-u", "127.0.0.1/5353:53", "-t", "::1/8443:443")) > 0, a.toString());
        assertFalse(Collections.indexOfSubList(a, List.of("-t", "none")) >= 0 || Collections.indexOfSubList(a, List.of("-u", "none")) >= 0,
                a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("-T", "none")) >= 0, a.toString());
    }

    @Test
    void mapGwIsPodmansPseudoOptionAndDebugDropsQuiet() {
        List<String> a = args(null, "--map-gw,-d");
        assertFalse(a.contains("--map-gw") || a.contains("--no-map-gw") || a.contains("--quiet"), a.toString());
        assertTrue(a.contains("-d"));
    }

    @Test
    void aUsersDnsForwarderReplacesBerthsInBothSpellings() {
        PastaCommandLine l = PastaCommandLine.build(null, "--dns-forward,10.0.0.53", List.of(), NETNS, PID, false);
        assertEquals(List.of("10.0.0.53"), l.dnsForward());
        assertFalse(l.args().contains("169.254.1.1"), l.args().toString());
        assertEquals(List.of("fd00::53"), PastaCommandLine.build(null, "--dns-forward=fd00::53", List.of(), NETNS, PID, false).dnsForward());
    }

    @Test
    void asRootPastaRunsAsRootUnlessTheUserChose() {
        List<String> a = PastaCommandLine.build(null, null, List.of(), NETNS, PID, true).args();
        assertEquals(List.of("--config-net", "--runas", "0:0"), a.subList(0, 3));
        List<String> b = PastaCommandLine.build(null, "--runas,1000", List.of(), NETNS, PID, true).args();
        assertEquals(1, Collections.frequency(b, "--runas"), b.toString());
    }

    @Test
    void optionsBerthOwnsAreRefused() {
        for (String bad : List.of("-f", "--foreground", "-P,/x", "--pid=/x", "--netns,/x", "--userns,/x", "--fd,3")) {
            BerthException e = assertThrows(BerthException.class, () -> args(null, bad), bad);
            assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
        }
    }

    @Test
    void emptyItemsAreDropped() {
        assertEquals(PastaCommandLine.split("-4,,--mtu,1500,"), List.of("-4", "--mtu", "1500"));
        assertEquals(List.of(), PastaCommandLine.split(""));
    }
}
