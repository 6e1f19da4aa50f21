package berth.network.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.testsupport.Sys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CNI connect and disconnect of a set-up container (capability CONNECT) against the real plugins and
 * a real namespace, and the backend stepping aside when {@code network_backend} names another one.
 * Names, bridge prefix and subnets are the test's own.
 */
class CniConnectionsTest {
    @TempDir
    Path tmp;

    private String tag;
    private CniNetworkBackend backend;
    private final List<Sys.Netns> namespaces = new ArrayList<>();
    private final List<Object[]> attached = new ArrayList<>();

    @BeforeAll
    static void tools() {
        Sys.requireTools("/usr/lib/cni/bridge", "/usr/lib/cni/host-local", "/usr/lib/cni/portmap", "/usr/lib/cni/firewall",
                "/usr/lib/cni/tuning", "/usr/lib/cni/loopback", Sys.BUSYBOX, "/usr/sbin/iptables-save");
    }

    @BeforeEach
    void setUp() {
        tag = Sys.randomHex(4);
        backend = new CniNetworkBackend(environment(Map.of()));
    }

    private NetworkEnvironment environment(Map<String, String> extra) {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("default_network", "ctest" + tag);
        opts.put("default_subnet", "10.95." + (Integer.parseInt(tag.substring(0, 2), 16) % 100) + ".0/24");
        opts.put("bridge_prefix", "ct" + tag);
        opts.put("subnet_pool", "10.95.128.0/17");
        opts.putAll(extra);
        return new NetworkEnvironment(tmp.resolve("conf"), tmp.resolve("run"), List.of("/usr/lib/cni"), opts, w -> { });
    }

    @AfterEach
    void tearDown() {
        for (int i = attached.size() - 1; i >= 0; i--) {
            try {
                backend.teardown((NetworkRequest) attached.get(i)[0], (NetworkStatus) attached.get(i)[1]);
            } catch (RuntimeException e) {
                // the test failed already
            }
        }
        namespaces.forEach(Sys.Netns::close);
        for (String line : Sys.run("ip", "-o", "link", "show").out().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1 && f[1].split("@")[0].startsWith("ct" + tag)) {
                Sys.run("ip", "link", "del", f[1].split("@")[0]);
            }
        }
    }

    @Test
    void connectAddsAnInterfaceAndDisconnectTakesItAway() {
        backend.createNetwork("a" + tag, null, null);
        backend.createNetwork("b" + tag, null, null);
        assertTrue(backend.capabilities().contains(NetworkCapability.CONNECT));
        Sys.Netns ns = new Sys.Netns();
        namespaces.add(ns);
        NetworkRequest r = new NetworkRequest(Sys.randomHex(64), "c" + tag, "c" + tag, ns.path,
                new NetworkSpec("a" + tag, List.of("a" + tag), Map.of(), List.of()));
        NetworkStatus st = backend.setup(r);
        attached.add(new Object[] {r, st});

        NetworkStatus both = backend.connect(r, st, "b" + tag, List.of("alias"));
        attached.set(0, new Object[] {r, both});
        assertEquals(List.of("a" + tag, "b" + tag), both.attachments().stream().map(NetworkAttachment::network).toList());
        assertEquals("eth1", both.attachments().get(1).interfaceName());
        String ipB = both.attachments().get(1).addresses().get(0);
        assertTrue(ns.exec("ip", "-4", "-o", "addr", "show", "eth1").contains("inet " + ipB), ipB);
        BerthException twice = assertThrows(BerthException.class, () -> backend.connect(r, both, "b" + tag, List.of()));
        assertEquals(ErrorCode.NETWORK_CONNECTED, twice.code());
        BerthException missing = assertThrows(BerthException.class, () -> backend.connect(r, both, "nosuch" + tag, List.of()));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());

        // the first network goes: the next connect takes the freed eth0
        NetworkStatus onlyB = backend.disconnect(r, both, "a" + tag);
        attached.set(0, new Object[] {r, onlyB});
        assertEquals(List.of("b" + tag), onlyB.attachments().stream().map(NetworkAttachment::network).toList());
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0, "eth0 is still there");
        NetworkStatus again = backend.connect(r, onlyB, "a" + tag, List.of());
        attached.set(0, new Object[] {r, again});
        assertEquals("eth0", again.attachments().get(1).interfaceName());
        BerthException notThere = assertThrows(BerthException.class, () -> backend.disconnect(r, onlyB, "a" + tag + "x"));
        assertTrue(notThere.getMessage().contains("is not connected to network"), notThere.getMessage());

        backend.teardown(r, again);
        attached.clear();
        String rules = Sys.ok("iptables-save");
        assertFalse(rules.contains(r.containerId()), rules);
    }

    @Test
    void anotherChosenBackendMakesCniStepAside() {
        CniNetworkBackend other = new CniNetworkBackend(environment(Map.of("network_backend", "netavark")));
        assertFalse(other.handles("bridge"));
        assertFalse(other.handles("ctest" + tag));
        CniNetworkBackend chosen = new CniNetworkBackend(environment(Map.of("network_backend", "cni")));
        assertTrue(chosen.handles("bridge"));
        assertTrue(chosen.handles("ctest" + tag));
        assertTrue(backend.handles("bridge"), "unset: cni serves the bridge mode");
    }
}
