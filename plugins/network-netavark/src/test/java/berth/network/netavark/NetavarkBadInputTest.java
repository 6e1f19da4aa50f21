package berth.network.netavark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCreateOptions;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a clear error and changes nothing; the backend stays out of the way until chosen. */
class NetavarkBadInputTest {
    @TempDir
    Path tmp;
    private final List<String> warnings = new ArrayList<>();

    private NetworkBackend backend(Map<String, String> extra) {
        Map<String, String> o = new HashMap<>(Map.of("network_backend", "netavark", "network_config_dir", "set",
                "network_run_dir", tmp.resolve("run").toString(), "bridge_prefix", "nvbad"));
        o.putAll(extra);
        return new NetavarkNetworkProvider().create(new NetworkEnvironment(tmp.resolve("networks"), tmp.resolve("unused-run"), List.of(),
                o, warnings::add));
    }

    private List<String> files() throws IOException {
        Path dir = tmp.resolve("networks");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewNetworkIsPodmansJsonWithItsDefaults() throws Exception {
        NetworkDefinition d = backend(Map.of()).createNetwork("web", "10.89.77.0/24", null);
        assertEquals(List.of("web.json"), files());
        JsonObject f = Json.parseObject(Files.readAllBytes(tmp.resolve("networks/web.json")));
        assertEquals("web", f.str("name"));
        assertTrue(f.str("id").matches("[0-9a-f]{64}"), f.str("id"));
        assertEquals("bridge", f.str("driver"));
        assertEquals("nvbad1", f.str("network_interface"), "the default network has nvbad0");
        assertEquals("10.89.77.0/24", f.objects("subnets").get(0).str("subnet"));
        assertEquals("10.89.77.1", f.objects("subnets").get(0).str("gateway"));
        assertTrue(f.bool("dns_enabled", false), "podman's network create enables DNS");
        assertFalse(f.bool("internal", true));
        assertFalse(f.bool("ipv6_enabled", true));
        assertEquals(Map.of("driver", "host-local"), f.stringMap("ipam_options"));
        assertEquals(f.str("id"), d.details().get("id"));
        assertEquals("10.89.77.0/24", d.subnet());
    }

    @Test
    void theDefaultNetworkIsPodmansAndLivesInMemory() throws Exception {
        NetworkBackend b = backend(Map.of());
        assertEquals("podman", b.defaultNetwork().orElseThrow());
        NetworkDefinition d = b.networks().get(0);
        assertEquals("podman", d.name());
        assertEquals("10.88.0.0/16", d.subnet());
        assertEquals("10.88.0.1", d.gateway());
        assertEquals(NetworkConfigs.DEFAULT_ID, d.details().get("id"));
        assertEquals(false, d.details().get("dns_enabled"));
        assertEquals("nvbad0", d.details().get("network_interface"));
        assertEquals(List.of(), files(), "the default network has no file");
        BerthException e = assertThrows(BerthException.class, () -> b.removeNetwork("podman"));
        assertTrue(e.getMessage().contains("default network podman cannot be removed"), e.getMessage());
    }

    @Test
    void internalAndDnsLessNetworksAreWhatPodmanWrites() throws Exception {
        NetworkBackend b = backend(Map.of());
        b.createNetwork("inside", "10.89.78.0/24", null, new NetworkCreateOptions(true, true));
        JsonObject f = Json.parseObject(Files.readAllBytes(tmp.resolve("networks/inside.json")));
        assertTrue(f.bool("internal", false));
        assertFalse(f.bool("dns_enabled", true));
        assertEquals("", f.objects("subnets").get(0).str("gateway", ""), "internal without DNS has no gateway, as in podman");
    }

    @Test
    void aNameInUseIsRefusedAndTheFileKept() throws Exception {
        NetworkBackend b = backend(Map.of());
        b.createNetwork("dup", "10.89.79.0/24", null);
        byte[] before = Files.readAllBytes(tmp.resolve("networks/dup.json"));
        BerthException e = assertThrows(BerthException.class, () -> b.createNetwork("dup", "10.89.80.0/24", null));
        assertEquals(ErrorCode.NAME_IN_USE, e.code());
        assertTrue(e.getMessage().contains("network name dup already used: network already exists"), e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(tmp.resolve("networks/dup.json"))));
        BerthException dflt = assertThrows(BerthException.class, () -> b.createNetwork("podman", null, null));
        assertTrue(dflt.getMessage().contains("already used"), dflt.getMessage());
    }

    @Test
    void anOverlappingSubnetIsRefusedAndNothingWritten() throws Exception {
        NetworkBackend b = backend(Map.of());
        b.createNetwork("first", "10.89.81.0/24", null);
        for (String clash : List.of("10.89.81.0/24", "10.89.81.128/25", "10.89.0.0/16", "10.88.5.0/24")) {
            BerthException e = assertThrows(BerthException.class, () -> b.createNetwork("second", clash, null), clash);
            assertTrue(e.getMessage().contains("is already used on the host or by another config"), e.getMessage());
        }
        assertEquals(List.of("first.json"), files());
    }

    @Test
    void badNamesSubnetsAndGatewaysAreRefused() throws Exception {
        NetworkBackend b = backend(Map.of());
        Map<String, String[]> cases = Map.of(
                "bad/name", new String[] {"bad/name", null, null},
                "mode", new String[] {"bridge", null, null},
                "not a cidr", new String[] {"n1", "10.89.90.0", null},
                "prefix", new String[] {"n2", "10.89.90.0/33", null},
                "octet", new String[] {"n3", "10.89.300.0/24", null},
                "gateway outside", new String[] {"n4", "10.89.91.0/24", "10.89.92.1"},
                "gateway is the network address", new String[] {"n5", "10.89.91.0/24", "10.89.91.0"},
                "gateway without subnet", new String[] {"n6", null, "10.89.91.1"},
                "ipv6", new String[] {"n7", "fd00::/64", null});
        cases.forEach((what, c) -> {
            BerthException e = assertThrows(BerthException.class, () -> b.createNetwork(c[0], c[1], c[2]), what);
            assertFalse(e.getMessage().isBlank(), what);
        });
        assertEquals(List.of(), files());
    }

    @Test
    void missingNetavarkFailsNamingWhereItLookedAndAllocatesNothing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-helpers"));
        NetworkBackend b = backend(Map.of("helper_binaries_dir", empty.toString()));
        b.createNetwork("lonely", "10.89.82.0/24", null);
        NetworkRequest r = new NetworkRequest("c".repeat(64), "c1", "c1", Path.of("/proc/self/ns/net"),
                new NetworkSpec("lonely", List.of(), Map.of(), List.of()));
        BerthException e = assertThrows(BerthException.class, () -> b.setup(r));
        assertTrue(e.getMessage().contains("could not find \"netavark\" in one of [" + empty + "]"), e.getMessage());
        assertEquals(Map.of(), new IpamDb(tmp.resolve("run")).assigned(r.containerId()));
        assertFalse(Files.exists(tmp.resolve("run/ipam.db")), "nothing allocated");
    }

    @Test
    void anUnknownNetworkOrOptionIsRefused() {
        NetworkBackend b = backend(Map.of());
        NetworkRequest unknown = new NetworkRequest("d".repeat(64), "c2", "c2", Path.of("/proc/self/ns/net"),
                new NetworkSpec("bridge", List.of("nosuch"), Map.of(), List.of()));
        BerthException e = assertThrows(BerthException.class, () -> b.setup(unknown));
        assertTrue(e.getMessage().contains("unable to find network with name or ID nosuch: network not found"), e.getMessage());
        NetworkRequest option = new NetworkRequest("d".repeat(64), "c2", "c2", Path.of("/proc/self/ns/net"),
                new NetworkSpec("bridge", List.of(), Map.of("mtu", "9000"), List.of()));
        BerthException o = assertThrows(BerthException.class, () -> b.setup(option));
        assertTrue(o.getMessage().contains("unknown option \"mtu\""), o.getMessage());
    }

    @Test
    void aBrokenFileIsSkippedWithAWarning() throws Exception {
        Files.createDirectories(tmp.resolve("networks"));
        Files.writeString(tmp.resolve("networks/broken.json"), "{\"name\": \"broken\", ");
        Files.writeString(tmp.resolve("networks/other.json"), "{\"name\": \"mismatch\", \"id\": \"" + "a".repeat(64) + "\"}");
        NetworkBackend b = backend(Map.of());
        assertEquals(List.of("podman"), b.networks().stream().map(NetworkDefinition::name).toList());
        assertEquals(2, warnings.size(), warnings.toString());
        assertFalse(b.handles("broken"));
    }

    @Test
    void badOptionsFailTheChosenBackendOnlyNamingTheKey() {
        BerthException e = assertThrows(BerthException.class, () -> backend(Map.of("default_subnet", "10.88.0.0")));
        assertTrue(e.getMessage().contains("default_subnet"), e.getMessage());
        // not chosen, the [network] table is another backend's: nothing fails, nothing is claimed
        NetworkBackend dormant = new NetavarkNetworkProvider().create(new NetworkEnvironment(tmp.resolve("networks"), tmp.resolve("run"),
                List.of(), Map.of("default_subnet", "10.88.0.0", "bridge_prefix", "far/too/long/prefix"), warnings::add));
        assertFalse(dormant.handles("bridge"));
    }

    @Test
    void notChosenTheBackendClaimsNothing() {
        NetworkBackend b = new NetavarkNetworkProvider().create(new NetworkEnvironment(tmp.resolve("networks"), tmp.resolve("run"),
                List.of(), Map.of("network_config_dir", "set", "network_run_dir", tmp.resolve("run").toString()), warnings::add));
        assertFalse(b.handles("bridge"));
        assertEquals(List.of(), b.networks());
        assertTrue(b.defaultNetwork().isEmpty());
        BerthException e = assertThrows(BerthException.class, () -> b.createNetwork("x", null, null));
        assertTrue(e.getMessage().contains("network_backend"), e.getMessage());
        b.reset(); // harmless
    }
}
