package berth.network.netavark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCreateOptions;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman 4.3.1 and berth on one network config directory and one ipam.db: a network either creates is
 * the other's, and their containers never get one address.
 */
class NetavarkPodmanInteropTest {
    @TempDir
    Path tmp;
    private String tag;
    private Path runDir;
    private PodmanNetavark podman;
    private NetworkBackend berth;
    private final List<String[]> berthContainers = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> podmanBridges = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        tag = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        Path configDir = Files.createDirectories(tmp.resolve("networks"));
        runDir = Files.createDirectories(tmp.resolve("run"));
        podman = PodmanNetavark.start(tmp, configDir, runDir);
        berth = new NetavarkNetworkProvider().create(new NetworkEnvironment(configDir, tmp.resolve("unused"), List.of(),
                Map.of("network_backend", "netavark", "network_config_dir", configDir.toString(), "network_run_dir", runDir.toString(),
                        "bridge_prefix", "ni" + tag), warnings::add));
    }

    @AfterEach
    void stop() {
        try {
            for (String[] c : berthContainers) {
                try {
                    berth.teardown(request(c[0], c[1], c[2]), NetworkStatus.empty("netavark"));
                } catch (RuntimeException e) {
                    // the test failed already; go on cleaning
                }
            }
            if (podman != null) {
                podman.close();
            }
        } finally {
            for (String ns : namespaces) {
                run("ip", "netns", "del", ns);
            }
            NetavarkTestSupport.stopAardvark(runDir);
            for (String line : run("ip", "-o", "link", "show").split("\n")) {
                String[] f = line.split(":\\s+", 3);
                if (f.length > 1 && (f[1].startsWith("ni" + tag) || podmanBridges.contains(f[1].split("@")[0]))) {
                    run("ip", "link", "del", f[1].split("@")[0]);
                }
            }
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String freeSubnet() {
        String routes = run("ip", "-4", "route", "show", "table", "all");
        for (int i = 0; i < 200; i++) {
            String stem = "10.89." + (64 + ThreadLocalRandom.current().nextInt(64)) + ".";
            if (!routes.contains(stem)) {
                return stem + "0/24";
            }
        }
        throw new AssertionError("no free /24 in 10.89.64.0/18");
    }

    private NetworkRequest request(String id, String network, String ns) {
        return new NetworkRequest(id, "b" + id.substring(0, 6), "b" + id.substring(0, 6), Path.of("/run/netns", ns),
                new NetworkSpec(network, List.of(), Map.of(), List.of()));
    }

    /** A berth "container": a namespace of its own set up on the network. */
    private NetworkStatus berthContainer(String network) {
        String id = String.format("%016x%016x%016x%016x", ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
        String ns = "nvki-" + id.substring(0, 8);
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        berthContainers.add(new String[] {id, network, ns});
        return berth.setup(request(id, network, ns));
    }

    private static String address(NetworkStatus st) {
        return st.attachments().get(0).addresses().get(0).split("/")[0];
    }

    @Test
    void aNetworkPodmanCreatedIsListedAndUsedByBerth() throws Exception {
        String subnet = freeSubnet();
        String name = "pnet" + tag;
        // podman 4.3.1 has no --interface-name: the bridge is its next free podmanN, deleted after the test
        podman.run("network", "create", "--subnet", subnet, "--disable-dns", name).ok();
        String id = podman.run("network", "inspect", "--format", "{{.ID}}", name).ok().out().strip();

        NetworkDefinition d = berth.networks().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("berth does not list " + name + ": " + berth.networks()));
        assertEquals(id, d.details().get("id"));
        assertEquals(subnet, d.subnet());
        String bridge = String.valueOf(d.details().get("network_interface"));
        podmanBridges.add(bridge);
        assertEquals(podman.run("network", "inspect", "--format", "{{.NetworkInterface}}", name).ok().out().strip(), bridge);
        assertTrue(berth.handles(name));

        NetworkStatus st = berthContainer(name);
        String ip = address(st);
        assertTrue(ip.startsWith(subnet.substring(0, subnet.lastIndexOf('.') + 1)), ip + " in " + subnet);
        String gateway = st.attachments().get(0).gateways().get(0);
        String ns = berthContainers.get(0)[2];
        assertTrue(run("ip", "netns", "exec", ns, "/bin/busybox", "ping", "-c", "1", "-W", "3", gateway).contains("1 packets received"),
                "the berth container reaches the gateway of podman's network");
    }

    @Test
    void aNetworkBerthCreatedIsListedAndInspectedByPodman() throws Exception {
        String subnet = freeSubnet();
        String name = "bnet" + tag;
        NetworkDefinition d = berth.createNetwork(name, subnet, null);
        assertTrue(podman.run("network", "ls", "--format", "{{.Name}}").ok().out().lines().toList().contains(name));
        Object inspected = Json.parse(podman.run("network", "inspect", name).ok().out());
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) ((List<Object>) inspected).get(0);
        assertEquals(name, p.get("name"));
        assertEquals(d.details().get("id"), p.get("id"));
        assertEquals("bridge", p.get("driver"));
        assertEquals(d.details().get("network_interface"), p.get("network_interface"));
        assertEquals(true, p.get("dns_enabled"));
        assertEquals(false, p.get("internal"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sn = (Map<String, Object>) ((List<Object>) p.get("subnets")).get(0);
        assertEquals(subnet, sn.get("subnet"));
        assertEquals(d.gateway(), sn.get("gateway"));
        assertEquals(Map.of("driver", "host-local"), p.get("ipam_options"));
        // and podman removes it: berth no longer lists it
        podman.run("network", "rm", name).ok();
        assertTrue(berth.networks().stream().noneMatch(n -> n.name().equals(name)));
    }

    @Test
    void podmanAndBerthContainersOnOneNetworkNeverShareAnAddress() throws Exception {
        String name = "shared" + tag;
        berth.createNetwork(name, freeSubnet(), null, new NetworkCreateOptions(false, true));
        Path rootfs = PodmanNetavark.busyboxRootfs(tmp);
        Set<String> seen = new HashSet<>();
        String first = address(berthContainer(name));
        seen.add(first);
        String podmanId = podman.run("run", "-d", "--network", name, "--rootfs", rootfs.toString(), "/bin/sleep", "600").ok().out().strip();
        String podmanIp = podman.run("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + name + "\").IPAddress}}", podmanId)
                .ok().out().strip();
        assertTrue(seen.add(podmanIp), "podman's container got berth's address " + podmanIp);
        assertEquals(Map.of(name, List.of(podmanIp)), new IpamDb(runDir).assigned(podmanId), "podman allocated in the ipam.db berth uses");
        String third = address(berthContainer(name));
        assertTrue(seen.add(third), "berth handed out " + third + " again; addresses so far " + seen);
        assertNotEquals(first, third);
        // podman frees its address in the same database
        podman.run("rm", "--force", "--time", "0", podmanId).ok();
        assertEquals(Map.of(), new IpamDb(runDir).assigned(podmanId));
    }
}
