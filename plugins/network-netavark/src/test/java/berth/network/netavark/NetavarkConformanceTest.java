package berth.network.netavark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.network.testkit.CommandResult;
import berth.network.testkit.Netns;
import berth.network.testkit.NetworkConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The netavark backend against the network conformance kit. Each test has its own network (a
 * DNS-enabled one, as {@code podman network create} makes), bridge prefix, config and run directories,
 * so neither /etc/containers/networks nor /run/containers/networks is touched.
 */
class NetavarkConformanceTest extends NetworkConformanceSuite {
    private String network;
    private Path runDir;

    @Override
    protected String providerId() {
        return "netavark";
    }

    /** The test's own network, by name (a named network is a mode of its own, as in {@code --network NAME}). */
    @Override
    protected String mode() {
        return network;
    }

    @Override
    protected List<String> requiredTools() {
        return List.of(NetavarkTestSupport.NETAVARK, NetavarkTestSupport.AARDVARK, "iptables", "iptables-save");
    }

    @Override
    protected Map<String, String> backendOptions(String tag) {
        network = "kit" + tag;
        try {
            runDir = Files.createTempDirectory("berth-nvk-run-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("network_backend", "netavark", "network_config_dir", "(the kit's config directory)",
                "network_run_dir", runDir.toString(), "bridge_prefix", "nk" + tag, "default_network", "kitd" + tag,
                "default_subnet", unusedSubnet("10.89.192.0/18"));
    }

    @BeforeEach
    void createTheTestNetwork() {
        backend().createNetwork(network, unusedSubnet("10.89.128.0/18"), null);
    }

    @Override
    protected Optional<Map<String, String>> staticAddressOptions(String address) {
        return Optional.of(Map.of("ip", address));
    }

    @Override
    protected void cleanUpHost(String tag, Map<String, String> options) {
        NetavarkTestSupport.stopAardvark(runDir);
        deleteHostInterfaces("nk" + tag);
        NetavarkTestSupport.deleteTree(runDir);
    }

    /** ipam.db holds no address of the container, aardvark-dns no name of it. */
    @Override
    protected void assertNothingLeftBehind(NetworkRequest request, NetworkEnvironment env) {
        assertEquals(Map.of(), new IpamDb(runDir).assigned(request.containerId()), "ipam.db still holds addresses of the container");
        Path names = runDir.resolve("aardvark-dns").resolve(network);
        try {
            assertFalse(Files.exists(names) && Files.readString(names).contains(request.containerId()),
                    "aardvark-dns still serves a name of the container: " + names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void containersResolveEachOthersNamesThroughAardvarkDns() {
        Netns nsA = newNetns();
        Netns nsB = newNetns();
        NetworkRequest rA = request("alpha", nsA);
        NetworkStatus sA = setup(rA);
        NetworkRequest rB = request("beta", nsB);
        NetworkStatus sB = setup(rB);
        assertFalse(sB.dnsServers().isEmpty(), "a DNS-enabled network gives a name server: " + sB);
        assertEquals(List.of("dns.podman"), sB.dnsSearch());
        String ipA = sA.attachments().get(0).addresses().get(0).split("/")[0];
        String server = sB.dnsServers().get(0);
        CommandResult r = nsB.exec("/bin/busybox", "nslookup", "alpha", server);
        assertTrue(r.ok() && r.output().contains(ipA), "nslookup alpha " + server + " from beta should give " + ipA + ":\n" + r.output());
        // the short ID is an alias, as in podman
        String shortId = rA.containerId().substring(0, 12);
        CommandResult byId = nsB.exec("/bin/busybox", "nslookup", shortId, server);
        assertTrue(byId.ok() && byId.output().contains(ipA), "nslookup " + shortId + ":\n" + byId.output());
        teardown(rA, sA);
        CommandResult gone = nsB.exec("/bin/busybox", "nslookup", "alpha", server);
        assertFalse(gone.ok() && gone.output().contains(ipA), "alpha still resolves after its teardown:\n" + gone.output());
        teardown(rB, sB);
        assertNothingLeft(rA, nsA, sA);
        assertNothingLeft(rB, nsB, sB);
    }

    @Test
    void aRunningContainerConnectsToAndDisconnectsFromASecondNetwork() {
        String second = network + "b";
        backend().createNetwork(second, unusedSubnet("10.89.128.0/18"), null);
        Netns ns = newNetns();
        NetworkRequest r = request("multi", ns);
        NetworkStatus st = setup(r);
        NetworkStatus both = backend().connect(r, st, second, List.of("extra-name"));
        assertEquals(List.of(network, second), both.attachments().stream().map(a -> a.network()).toList());
        assertEquals("eth1", both.attachments().get(1).interfaceName());
        assertStatusIsTrue(ns, both);
        String ip = both.attachments().get(1).addresses().get(0).split("/")[0];
        assertEquals(List.of(ip), new IpamDb(runDir).assigned(r.containerId()).get(second));
        CommandResult alias = ns.exec("/bin/busybox", "nslookup", "extra-name", both.attachments().get(1).gateways().get(0));
        assertTrue(alias.ok() && alias.output().contains(ip), "the alias resolves on the connected network:\n" + alias.output());
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> backend().connect(r, both, second, List.of()),
                "connecting twice to one network is refused");

        NetworkStatus back = backend().disconnect(r, both, second);
        assertEquals(List.of(network), back.attachments().stream().map(a -> a.network()).toList());
        assertFalse(ns.links().contains("eth1"), "eth1 left in the namespace: " + ns.links());
        assertFalse(new IpamDb(runDir).assigned(r.containerId()).containsKey(second), "the address on " + second + " was not freed");
        assertStatusIsTrue(ns, back);
        teardown(r, back);
        assertNothingLeft(r, ns, back);
    }
}
