package berth.network.netavark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.bolt.db.BoltDb;
import berth.kernel.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podman's allocation rules in ipam.db: after the last address, round the subnet, never the gateway or broadcast. */
class IpamDbTest {
    @TempDir
    Path tmp;

    private static PodmanNetwork net(String name, String subnet, String gateway) {
        return new PodmanNetwork(name, "a".repeat(64), "bridge", "x0", "", List.of(new PodmanNetwork.Subnet(subnet, gateway, Map.of())),
                false, false, false, Map.of(), Map.of(), Map.of("driver", "host-local"));
    }

    private static String alloc(IpamDb db, PodmanNetwork n, String cid, Integer ip) {
        return Ipv4Net.dotted(db.allocate(cid, List.of(new IpamDb.Request(n, ip))).get(n.name()).get(0));
    }

    @Test
    void addressesFollowTheLastOneHandedOutAndWrapAround() {
        IpamDb db = new IpamDb(tmp);
        PodmanNetwork n = net("small", "10.1.2.0/29", "10.1.2.1"); // hosts .1-.6, .1 the gateway
        assertEquals("10.1.2.2", alloc(db, n, "c1", null));
        assertEquals("10.1.2.3", alloc(db, n, "c2", null));
        db.release("c1", "small");
        assertEquals("10.1.2.4", alloc(db, n, "c3", null), "the search starts after lastIP, not at the lowest free address");
        assertEquals("10.1.2.5", alloc(db, n, "c4", null));
        assertEquals("10.1.2.6", alloc(db, n, "c5", null));
        assertEquals("10.1.2.2", alloc(db, n, "c6", null), "wrapped around to the freed .2, skipping the gateway");
        BerthException full = assertThrows(BerthException.class, () -> alloc(db, n, "c7", null));
        assertTrue(full.getMessage().contains("failed to find free IP in range: 10.1.2.2 - 10.1.2.6")
                || full.getMessage().contains("failed to find free IP in range"), full.getMessage());
        assertEquals(Map.of("small", List.of("10.1.2.4")), db.assigned("c3"));
    }

    @Test
    void aStaticAddressInUseIsRefusedNamingItsHolder() {
        IpamDb db = new IpamDb(tmp);
        PodmanNetwork n = net("web", "10.1.3.0/24", "10.1.3.1");
        assertEquals("10.1.3.9", alloc(db, n, "holder", Ipv4Net.parseAddress("10.1.3.9", "")));
        BerthException e = assertThrows(BerthException.class, () -> alloc(db, n, "other", Ipv4Net.parseAddress("10.1.3.9", "")));
        assertTrue(e.getMessage().contains("requested ip address 10.1.3.9 is already allocated to container ID holder"), e.getMessage());
        assertEquals(Map.of(), db.assigned("other"), "the refused allocation left nothing");
    }

    @Test
    void theLayoutIsPodmans() {
        IpamDb db = new IpamDb(tmp);
        PodmanNetwork n = net("lay", "10.1.4.0/24", "10.1.4.1");
        alloc(db, n, "cid1", null);
        try (BoltDb b = BoltDb.open(db.file(), BoltDb.Options.readOnly())) {
            b.view(tx -> {
                var net = tx.bucket("lay");
                var subnet = net.bucket("10.1.4.0/24");
                assertEquals("cid1", new String(subnet.get(new byte[] {10, 1, 4, 2}), StandardCharsets.UTF_8));
                assertTrue(java.util.Arrays.equals(new byte[] {10, 1, 4, 2}, subnet.get("lastIP")));
                assertEquals("[\"10.1.4.2\"]", new String(net.bucket("ids").get("cid1"), StandardCharsets.UTF_8));
                return null;
            });
        }
        db.removeNetwork("lay");
        assertEquals(Map.of(), db.assigned("cid1"));
    }
}
