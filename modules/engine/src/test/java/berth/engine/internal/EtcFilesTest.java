package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void ownAddressReplacesThePlaceholderLine() {
        String loopback = "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                + "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n";
        assertEquals(loopback + "127.0.1.1\twebhost web\n", EtcFiles.hosts(c.config(), "webhost", Map.of()));
        assertEquals(loopback + "10.89.0.2\twebhost web\n",
                EtcFiles.hosts(c.config(), "webhost", Map.of("10.89.0.2", List.of("webhost", "web"))));
    }
}
