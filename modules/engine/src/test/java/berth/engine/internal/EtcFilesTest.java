package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.Container;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcFilesTest {
    private final Container c = Fixtures.onNetwork(Fixtures.id('a'), "web", "webhost", "berth", "10.89.0.2/24");
    private final List<String> host = List.of("# from the host", "search example.com corp.example.com", "nameserver 127.0.0.53",
            "nameserver 192.0.2.1", "options edns0");

    @Test
    void theNetworksSearchDomainsComeFirstOnOneLineWithTheHosts() {
        assertEquals("search dns.podman example.com corp.example.com\nnameserver 10.89.0.1\n# from the host\nnameserver 192.0.2.1\noptions edns0\n",
                EtcFiles.resolvConf(c.config(), List.of("10.89.0.1"), List.of("dns.podman"), host));
    }

    @Test
    void withoutSearchDomainsTheHostsLinesStayAsTheyAre() {
        assertEquals("nameserver 10.0.2.3\n# from the host\nsearch example.com corp.example.com\nnameserver 192.0.2.1\noptions edns0\n",
                EtcFiles.resolvConf(c.config(), List.of("10.0.2.3"), List.of(), host));
    }

    @Test
    void aSearchDomainTheHostAlsoHasIsNamedOnce() {
        assertEquals("search example.com corp.example.com\n# from the host\nnameserver 192.0.2.1\noptions edns0\n",
                EtcFiles.resolvConf(c.config(), List.of(), List.of("example.com"), host));
    }

    /** podman 4.3.1's file on this kind of host, byte for byte: the host's entries, host.containers.internal, then the container. */
    @Test
    void hostsAsPodmanWritesThem() {
        HostsBase base = new HostsBase(HostsFile.parse(List.of("127.0.0.1 localhost", "127.0.0.1 runsc  # a comment", "# only a comment",
                "127.0.0.1 vm", "lonely")), "10.88.0.1");
        assertEquals("127.0.0.1\tlocalhost\n127.0.0.1\trunsc\n127.0.0.1\tvm\n10.88.0.1\thost.containers.internal\n"
                + "10.89.0.2\twebhost web\n", EtcFiles.hosts(c.config(), "webhost", Map.of("10.89.0.2", List.of("webhost", "web")), base));
        // no network: its names on 127.0.0.1; no base file: the loopback defaults; no internal address: no line
        String loopback = "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                + "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n";
        assertEquals(loopback + "127.0.0.1\twebhost web\n", EtcFiles.hosts(c.config(), "webhost", Map.of(), new HostsBase(List.of(), "")));
    }

    @Test
    void aNameTheBaseFileGivesIsNotRepeated() {
        HostsBase base = new HostsBase(HostsFile.parse(List.of("127.0.0.1 localhost", "192.0.2.9 webhost")), "");
        assertEquals("127.0.0.1\tlocalhost\n192.0.2.9\twebhost\n10.89.0.2\tweb\n",
                EtcFiles.hosts(c.config(), "webhost", Map.of("10.89.0.2", List.of("webhost", "web")), base));
    }

    @Test
    void hostContainersInternalIsTheGatewayTheHostServesElseTheHostsFirstAddress() throws Exception {
        java.net.InetAddress lo = java.net.InetAddress.getByName("127.0.0.1");
        java.net.InetAddress eth = java.net.InetAddress.getByName("192.0.2.2");
        java.net.InetAddress bridge = java.net.InetAddress.getByName("10.88.0.1");
        berth.kernel.spi.network.NetworkStatus onBridge = new berth.kernel.spi.network.NetworkStatus("any", List.of(
                new berth.kernel.spi.network.NetworkAttachment("podman", "eth0", List.of("10.88.0.5/16"), List.of("10.88.0.1"), "")),
                List.of(), List.of(), List.of(), Map.of());
        berth.kernel.spi.network.NetworkStatus slirp = new berth.kernel.spi.network.NetworkStatus("any", List.of(
                new berth.kernel.spi.network.NetworkAttachment("slirp", "tap0", List.of("10.0.2.100/24"), List.of("10.0.2.2"), "")),
                List.of(), List.of(), List.of(), Map.of());
        assertEquals("10.88.0.1", HostsBase.internalIp(onBridge, List.of(lo, eth, bridge)));
        assertEquals("192.0.2.2", HostsBase.internalIp(slirp, List.of(lo, eth, bridge)));
        assertEquals("192.0.2.2", HostsBase.internalIp(null, List.of(lo, eth)));
        assertEquals("", HostsBase.internalIp("none", onBridge));
        assertEquals("192.0.2.77", HostsBase.internalIp("192.0.2.77", onBridge));
        // the real host: its first address is one getifaddrs lists
        String real = HostsBase.internalIp(null, HostAddresses.all());
        assertTrue(HostAddresses.all().stream().anyMatch(a -> a.getHostAddress().equals(real)), real);
    }
}
