package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record side of network connect/disconnect: networks, aliases kept as options, what backends see. */
class NetworkAliasesTest {
    private static final List<PortMapping> PORTS = List.of(new PortMapping("", 8080, 80, "tcp"));

    @Test
    void connectAddsTheNetworkAndItsAliasesOnce() {
        NetworkSpec s = new NetworkSpec("front", List.of("front"), Map.of("ip", "10.1.0.5"), PORTS);
        NetworkSpec c = NetworkAliases.connected(s, "back", List.of("api", " svc", "api", ""));
        assertEquals(List.of("front", "back"), c.networks());
        assertEquals(List.of("api", "svc"), NetworkAliases.of(c, "back"));
        assertEquals(List.of(), NetworkAliases.of(c, "front"));
        assertEquals("front", c.mode());
        assertEquals(PORTS, c.ports());
        // backends get the mode's own options only
        assertEquals(Map.of("ip", "10.1.0.5"), NetworkAliases.forBackend(c).options());
        assertSame(s, NetworkAliases.forBackend(s));
    }

    @Test
    void disconnectDropsTheNetworkAndItsAliasesAndLeavesTheModeItNamedForBridge() {
        NetworkSpec s = NetworkAliases.connected(new NetworkSpec("front", List.of("front"), Map.of(), PORTS), "back", List.of("api"));
        NetworkSpec d = NetworkAliases.disconnected(s, "back");
        assertEquals(List.of("front"), d.networks());
        assertEquals(Map.of(), d.options());
        NetworkSpec off = NetworkAliases.disconnected(d, "front");
        assertEquals("bridge", off.mode());
        assertEquals(List.of(), off.networks());
        assertTrue(NetworkConnections.offEveryNetwork(off));
        assertFalse(NetworkConnections.offEveryNetwork(d));
        assertTrue(off.needsBackend(), "still a bridge container: it can be connected again");
    }

    @Test
    void newNameServersGoAheadOfTheOthers() {
        assertEquals(List.of("search x", "nameserver 10.0.0.1", "nameserver 1.1.1.1"),
                ConnectionEtcFiles.withNameservers(List.of("search x", "nameserver 1.1.1.1"), List.of("10.0.0.1")));
        assertEquals(List.of("options ndots:1", "nameserver 10.0.0.1"),
                ConnectionEtcFiles.withNameservers(List.of("options ndots:1"), List.of("10.0.0.1")));
    }
}
