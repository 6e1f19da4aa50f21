package berth.network.cni;

import berth.testsupport.Sys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.network.HostEntry;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNI backend against the real plugins in /usr/lib/cni, real namespaces and real iptables. Every
 * test uses its own network names, bridge prefix and subnets so it cannot disturb a berth installed on
 * the machine.
 */
class CniNetworkBackendTest {
    @TempDir
    Path tmp;

    private String tag;
    private String defaultNet;
    private String bridgePrefix;
    private String defaultSubnet;
    private NetworkEnvironment env;
    private CniNetworkBackend backend;
    private final List<Sys.Netns> namespaces = new ArrayList<>();
    private final List<Object[]> attached = new ArrayList<>();
    private final java.util.Set<String> handedOut = new java.util.HashSet<>();
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void tools() {
        Sys.requireTools("/usr/lib/cni/bridge", "/usr/lib/cni/host-local", "/usr/lib/cni/portmap", "/usr/lib/cni/firewall",
                "/usr/lib/cni/tuning", "/usr/lib/cni/loopback", Sys.BUSYBOX, "/usr/sbin/iptables-save");
    }

    @BeforeEach
    void setUp() {
        tag = Sys.randomHex(4);
        defaultNet = "btest" + tag;
        bridgePrefix = "bt" + tag;
        defaultSubnet = freeSubnet();
        env = environment(List.of("/usr/lib/cni"));
        backend = new CniNetworkBackend(env);
    }

    private NetworkEnvironment environment(List<String> pluginDirs) {
        return environment(pluginDirs, Map.of());
    }

    /** The options as the engine passes containers.conf's [network] table: strings, lists joined with commas. */
    private NetworkEnvironment environment(List<String> pluginDirs, Map<String, String> extra) {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("default_network", defaultNet);
        opts.put("default_subnet", defaultSubnet);
        opts.put("bridge_prefix", bridgePrefix);
        opts.put("subnet_pool", "10.89.128.0/17");
        opts.putAll(extra);
        return new NetworkEnvironment(tmp.resolve("conf"), tmp.resolve("run"), pluginDirs, opts, warnings::add);
    }

    /** The container's first address on a network, without its prefix length. */
    private static String ip(NetworkStatus st, String network) {
        String cidr = st.addresses().get(network).get(0);
        return cidr.substring(0, cidr.indexOf('/'));
    }

    @AfterEach
    void tearDown() {
        for (int i = attached.size() - 1; i >= 0; i--) {
            Object[] a = attached.get(i);
            try {
                backend.teardown((NetworkRequest) a[0], (NetworkStatus) a[1]);
            } catch (RuntimeException e) {
                // the test has failed already or tore down itself
            }
        }
        namespaces.forEach(Sys.Netns::close);
        for (String line : Sys.run("ip", "-o", "link", "show").out().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1) {
                String name = f[1].split("@")[0];
                if (name.startsWith(bridgePrefix)) {
                    Sys.run("ip", "link", "del", name);
                }
            }
        }
    }

    /** A /24 in 10.89.192.0/18 that no host route covers and this test has not been given before. */
    private String freeSubnet() {
        String routes = Sys.ok("ip", "-4", "route", "show", "table", "all");
        for (int tries = 0; tries < 200; tries++) {
            int third = 192 + (int) (Math.random() * 64);
            String prefix = "10.89." + third + ".";
            // the default network's subnet has no route until a container joins it: remember it too
            if (!routes.contains(prefix) && handedOut.add(prefix)) {
                return prefix + "0/24";
            }
        }
        throw new AssertionError("no free 10.89.x.0/24");
    }

    private Sys.Netns netns() {
        Sys.Netns ns = new Sys.Netns();
        namespaces.add(ns);
        return ns;
    }

    private static NetworkRequest request(String id, String name, Sys.Netns ns, NetworkSpec spec) {
        return new NetworkRequest(id, name, name + "-host", ns.path, spec);
    }

    private NetworkStatus setup(NetworkRequest r) {
        NetworkStatus st = backend.setup(r);
        attached.add(new Object[] {r, st});
        return st;
    }

    private void teardown(NetworkRequest r, NetworkStatus st) {
        backend.teardown(r, st);
        attached.removeIf(a -> a[0] == r);
    }

    private static NetworkSpec bridge(PortMapping... ports) {
        return new NetworkSpec("bridge", List.of(), Map.of(), List.of(ports));
    }

    private static String cid() {
        return Sys.randomHex(64);
    }

    private Path leaseDir(String network) {
        return tmp.resolve("run").resolve("cni-ipam").resolve(network);
    }

    /** Files host-local keeps per allocated address (named by the address, holding the container id). */
    private List<String> leases(String network) throws IOException {
        return leases(network, "");
    }

    private List<String> leases(String network, String containerId) throws IOException {
        Path d = leaseDir(network);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") && Files.readString(p).contains(containerId)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> hostInterfaces(NetworkStatus st) {
        List<String> out = new ArrayList<>();
        for (Object n : (List<Object>) st.details().get("networks")) {
            out.addAll((List<String>) ((Map<String, Object>) n).get("hostInterfaces"));
        }
        return out;
    }

    private void assertNothingLeft(String containerId, NetworkStatus st, String network) throws IOException {
        String rules = Sys.ok("iptables-save");
        assertFalse(rules.contains(containerId), "iptables rules still mention container " + containerId + ":\n" + rules);
        for (List<String> ips : st.addresses().values()) {
            for (String cidr : ips) {
                String ip = cidr.substring(0, cidr.indexOf('/'));
                assertFalse(rules.contains(ip + "/32"), "iptables rules still mention " + ip + ":\n" + rules);
            }
        }
        for (String ifc : hostInterfaces(st)) {
            if (!ifc.startsWith(bridgePrefix)) {
                assertFalse(Files.exists(Path.of("/sys/class/net", ifc)), "host veth " + ifc + " still exists");
            }
        }
        assertEquals(List.of(), leases(network, containerId), "host-local leases of the container left in " + leaseDir(network));
        String ports = Files.exists(tmp.resolve("run/cni-ports")) ? Files.readString(tmp.resolve("run/cni-ports")) : "";
        assertFalse(ports.contains(containerId), "port registry still lists the container: " + ports);
        Path hostsFile = tmp.resolve("run/cni-hosts").resolve(network);
        String hosts = Files.exists(hostsFile) ? Files.readString(hostsFile) : "";
        assertFalse(hosts.contains(containerId), "hosts file still lists the container: " + hosts);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void providerIsFoundThroughTheRegistryAndIsCheap() {
        NetworkBackendProvider p = PluginRegistry.boot(w -> { }).select(NetworkBackendProvider.class, "cni");
        assertEquals("cni", p.id());
        NetworkBackend b = p.create(env);
        assertEquals("cni", b.id());
        assertTrue(b.handles("bridge"));
        assertFalse(b.handles("slirp4netns"));
        assertFalse(b.handles("host"));
        assertFalse(Files.exists(tmp.resolve("conf")), "creating the backend must not write anything");
    }

    @Test
    void defaultNetworkIsCreatedOnFirstUse() throws Exception {
        assertTrue(backend.handles(defaultNet));
        List<NetworkDefinition> nets = backend.networks();
        assertEquals(1, nets.size());
        NetworkDefinition d = nets.get(0);
        assertEquals(defaultNet, d.name());
        assertEquals("bridge", d.driver());
        assertEquals(defaultSubnet, d.subnet());
        assertEquals(defaultSubnet.replace(".0/24", ".1"), d.gateway());
        assertEquals(bridgePrefix + "0", d.details().get("bridge"));
        JsonObject conf = Json.parseObject(Files.readAllBytes(tmp.resolve("conf").resolve(defaultNet + ".conflist")));
        assertEquals("1.0.0", conf.str("cniVersion"));
        assertEquals(defaultNet, conf.str("name"));
        List<String> types = new ArrayList<>();
        conf.objects("plugins").forEach(p -> types.add(p.str("type")));
        assertEquals(List.of("bridge", "portmap", "firewall", "tuning"), types);
        JsonObject br = conf.objects("plugins").get(0);
        assertTrue(br.bool("isGateway", false));
        assertTrue(br.bool("ipMasq", false));
        assertTrue(br.bool("hairpinMode", false));
        assertEquals("host-local", br.obj("ipam").str("type"));
        assertTrue(conf.objects("plugins").get(1).obj("capabilities").bool("portMappings", false));
    }

    @Test
    void twoContainersOnOneNetworkPingEachOtherAndTeardownLeavesNothing() throws Exception {
        Sys.Netns ns1 = netns();
        Sys.Netns ns2 = netns();
        String id1 = cid();
        String id2 = cid();
        NetworkRequest r1 = request(id1, "alpha", ns1, bridge());
        NetworkRequest r2 = request(id2, "beta", ns2, bridge());
        NetworkStatus s1 = setup(r1);
        NetworkStatus s2 = setup(r2);
        assertEquals("cni", s1.backend());
        String ip1 = ip(s1, defaultNet);
        String ip2 = ip(s2, defaultNet);
        assertNotEquals(ip1, ip2);
        Ipv4Subnet sn = Ipv4Subnet.parse(defaultSubnet);
        assertTrue(sn.isUsableHost(Ipv4Subnet.parseAddress(ip1, ip1)), ip1 + " in " + defaultSubnet);
        assertTrue(ns1.exec("ip", "-4", "addr", "show", "eth0").contains(ip1 + "/24"));
        assertTrue(ns1.exec("ip", "link", "show", "lo").contains("UP"), "loopback is up (as the namespace came)");

        Sys.Result ping12 = ns1.tryExec(Sys.BUSYBOX, "ping", "-c", "1", "-W", "3", ip2);
        assertEquals(0, ping12.rc(), "ping " + ip2 + " from " + ns1.name + ":\n" + ping12.out());
        Sys.Result ping21 = ns2.tryExec(Sys.BUSYBOX, "ping", "-c", "1", "-W", "3", ip1);
        assertEquals(0, ping21.rc(), "ping " + ip1 + " from " + ns2.name + ":\n" + ping21.out());

        // name resolution data: the second container sees both entries
        List<HostEntry> hosts2 = s2.hostEntries();
        assertTrue(hosts2.contains(new HostEntry(ip1, List.of("alpha", "alpha-host"))), hosts2.toString());
        assertTrue(hosts2.contains(new HostEntry(ip2, List.of("beta", "beta-host"))), hosts2.toString());
        assertTrue(s1.hostEntries().contains(new HostEntry(ip1, List.of("alpha", "alpha-host"))), s1.hostEntries().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) s2.details().get("hostsFiles");
        String hostsFile = Files.readString(Path.of((String) files.get(defaultNet)));
        assertTrue(hostsFile.contains(ip1 + "\talpha alpha-host"), hostsFile);

        // the status survives a JSON round trip (as the engine stores it) and still drives CHECK and DEL
        NetworkStatus s1j = roundTrip(s1);
        backend.check(r1, s1j);
        List<String> veths = hostInterfaces(s1);
        assertTrue(veths.stream().anyMatch(v -> !v.startsWith(bridgePrefix) && Files.exists(Path.of("/sys/class/net", v))),
                "host veth of container 1 exists: " + veths);
        assertTrue(Sys.ok("iptables-save").contains(id1), "masquerade rules name the container while it runs");

        teardown(r1, s1j);
        assertNothingLeft(id1, s1, defaultNet);
        assertFalse(ns1.tryExec("ip", "link", "show", "eth0").rc() == 0, "eth0 removed from the namespace");
        teardown(r2, s2);
        assertNothingLeft(id2, s2, defaultNet);
        // DEL is idempotent: a retried teardown succeeds
        backend.teardown(r2, s2);
    }

    @Test
    void publishedPortReachesServerInTheNamespace() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        int port = Sys.freePort(18080);
        NetworkRequest r = request(id, "web", ns, bridge(new PortMapping("127.0.0.1", port, 80, "tcp")));
        NetworkStatus st = setup(r);
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("hello.txt"), "hello from the namespace " + id + "\n");
        ns.background(Sys.BUSYBOX, "httpd", "-f", "-p", "80", "-h", www.toString());
        String body = Sys.httpGet("127.0.0.1", port, "/hello.txt", 10000);
        assertEquals("hello from the namespace " + id + "\n", body);
        assertTrue(Files.readString(tmp.resolve("run/cni-ports")).contains(id + " tcp 127.0.0.1 " + port + " 80"));
        @SuppressWarnings("unchecked")
        List<Object> ports = (List<Object>) st.details().get("ports");
        assertEquals(1, ports.size());

        teardown(r, roundTrip(st));
        assertNothingLeft(id, st, defaultNet);
        assertFalse(Sys.ok("iptables-save", "-t", "nat").contains("--dport " + port), "no DNAT rule for port " + port);
        assertFalse(Sys.canConnect("127.0.0.1", port), "port " + port + " is no longer forwarded");
    }

    @Test
    void createdNetworksGetFreeSubnetsAndCanBeJoinedAndRemoved() throws Exception {
        String name = "btnet" + tag;
        NetworkDefinition d = backend.createNetwork(name, null, null);
        assertEquals(name, d.name());
        Ipv4Subnet auto = Ipv4Subnet.parse(d.subnet());
        assertEquals(24, auto.prefix());
        assertTrue(Ipv4Subnet.parse("10.89.128.0/17").overlaps(auto));
        assertFalse(auto.overlaps(Ipv4Subnet.parse(defaultSubnet)), "auto subnet avoids the default network");
        assertEquals(bridgePrefix + "1", d.details().get("bridge"));
        NetworkDefinition d2 = backend.createNetwork(name + "b", null, null);
        assertFalse(Ipv4Subnet.parse(d2.subnet()).overlaps(auto));
        assertEquals(bridgePrefix + "2", d2.details().get("bridge"));
        assertEquals(List.of(defaultNet, name, name + "b"), backend.networks().stream().map(NetworkDefinition::name).toList());
        assertTrue(backend.handles(name));

        // a container in two networks: eth0 on the first, eth1 on the second
        Sys.Netns ns = netns();
        String id = cid();
        NetworkRequest r = request(id, "multi", ns, new NetworkSpec(name, List.of(name + "b"), Map.of(), List.of()));
        NetworkStatus st = setup(r);
        assertEquals(Set.of(name, name + "b"), st.addresses().keySet());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> order = (List<Map<String, Object>>) st.details().get("networks");
        assertEquals(List.of(name, name + "b"), order.stream().map(n -> n.get("name")).toList());
        assertEquals(List.of("eth0", "eth1"), order.stream().map(n -> n.get("interface")).toList());
        String ip = ip(st, name);
        assertTrue(auto.contains(Ipv4Subnet.parseAddress(ip, ip)));
        assertTrue(ns.exec("ip", "-4", "addr", "show", "eth1").contains(st.addresses().get(name + "b").get(0)));
        assertEquals(List.of("eth0", "eth1"), st.attachments().stream().map(NetworkAttachment::interfaceName).toList());
        assertEquals(List.of(name, name + "b"), st.attachments().stream().map(NetworkAttachment::network).toList());
        teardown(r, st);
        assertNothingLeft(id, st, name);

        backend.removeNetwork(name + "b");
        backend.removeNetwork(name);
        assertFalse(Files.exists(tmp.resolve("conf").resolve(name + ".conflist")));
        assertFalse(Files.exists(Path.of("/sys/class/net", bridgePrefix + "1")), "bridge of the removed network deleted");
        assertFalse(backend.handles(name));
        assertEquals(List.of(defaultNet), backend.networks().stream().map(NetworkDefinition::name).toList());
    }

    @Test
    void explicitSubnetAndGateway() {
        String name = "btgw" + tag;
        String sub = freeSubnet();
        NetworkDefinition d = backend.createNetwork(name, sub, sub.replace(".0/24", ".254"));
        assertEquals(sub, d.subnet());
        assertEquals(sub.replace(".0/24", ".254"), d.gateway());
        BerthException bad = assertThrows(BerthException.class,
                () -> backend.createNetwork(name + "x", "10.89.64.0/24", "10.89.65.1"));
        assertTrue(bad.getMessage().contains("10.89.65.1"), bad.getMessage());
        backend.removeNetwork(name);
    }

    @Test
    void overlappingSubnetIsRefusedNamingBothNetworks() {
        String a = "bta" + tag;
        String sub = freeSubnet();
        backend.createNetwork(a, sub, null);
        String half = sub.replace(".0/24", ".128/25");
        BerthException e = assertThrows(BerthException.class, () -> backend.createNetwork("btb" + tag, half, null));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("\"btb" + tag + "\"") && e.getMessage().contains("\"" + a + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
        BerthException dflt = assertThrows(BerthException.class, () -> backend.createNetwork("btc" + tag, defaultSubnet, null));
        assertTrue(dflt.getMessage().contains("\"" + defaultNet + "\""), dflt.getMessage());
        BerthException dup = assertThrows(BerthException.class, () -> backend.createNetwork(a, null, null));
        assertEquals(ErrorCode.NAME_IN_USE, dup.code());
        BerthException reserved = assertThrows(BerthException.class, () -> backend.createNetwork("host", null, null));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        assertFalse(Files.exists(tmp.resolve("conf").resolve("btb" + tag + ".conflist")));
        backend.removeNetwork(a);
    }

    @Test
    void unknownNetworkIsRefused() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        BerthException e = assertThrows(BerthException.class, () -> backend.setup(
                request(id, "lost", ns, new NetworkSpec("bridge", List.of("nosuchnet"), Map.of(), List.of()))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("network \"nosuchnet\" not found"), e.getMessage());
        assertFalse(backend.handles("nosuchnet"));
        BerthException rm = assertThrows(BerthException.class, () -> backend.removeNetwork("nosuchnet"));
        assertTrue(rm.getMessage().contains("\"nosuchnet\" not found"), rm.getMessage());
        BerthException rmDefault = assertThrows(BerthException.class, () -> {
            backend.networks();
            backend.removeNetwork(defaultNet);
        });
        assertTrue(rmDefault.getMessage().contains("default network"), rmDefault.getMessage());
        BerthException opt = assertThrows(BerthException.class, () -> backend.setup(
                request(id, "lost", ns, new NetworkSpec("bridge", List.of(), Map.of("color", "red"), List.of()))));
        assertTrue(opt.getMessage().contains("\"color\""), opt.getMessage());
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0);
    }

    @Test
    void hostPortInUseFailsNamingThePortAndLeavesNothing() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        int port = Sys.freePort(18180);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", port));
            BerthException e = assertThrows(BerthException.class,
                    () -> backend.setup(request(id, "clash", ns, bridge(new PortMapping("127.0.0.1", port, 80, "tcp")))));
            assertEquals(ErrorCode.NETWORK_ERROR, e.code());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port + "/tcp") && e.getMessage().contains("already in use"),
                    e.getMessage());
            // a wildcard request clashes with the 127.0.0.1 listener too
            BerthException any = assertThrows(BerthException.class,
                    () -> backend.setup(request(id, "clash", ns, bridge(new PortMapping("", port, 80, "tcp")))));
            assertTrue(any.getMessage().contains(String.valueOf(port)), any.getMessage());
        }
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0, "no interface was created");
        assertEquals(List.of(), leases(defaultNet));
        assertFalse(Sys.ok("iptables-save").contains(id));

        // a port another container already publishes is refused naming that container
        Sys.Netns ns2 = netns();
        String owner = cid();
        NetworkRequest r1 = request(owner, "owner", ns2, bridge(new PortMapping("", port, 80, "tcp")));
        NetworkStatus s1 = setup(r1);
        BerthException e2 = assertThrows(BerthException.class,
                () -> backend.setup(request(id, "late", ns, bridge(new PortMapping("127.0.0.1", port, 8080, "tcp")))));
        assertTrue(e2.getMessage().contains(owner) && e2.getMessage().contains(String.valueOf(port)), e2.getMessage());
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0);
        // the same port number over UDP is a different port
        NetworkRequest r3 = request(id, "udp", ns, bridge(new PortMapping("127.0.0.1", port, 53, "udp")));
        NetworkStatus s3 = setup(r3);
        teardown(r3, s3);
        assertNothingLeft(id, s3, defaultNet);
        teardown(r1, s1);
        assertNothingLeft(owner, s1, defaultNet);
        // duplicates within one request
        BerthException dup = assertThrows(BerthException.class, () -> backend.setup(request(id, "dup", ns,
                bridge(new PortMapping("", port, 80, "tcp"), new PortMapping("127.0.0.1", port, 81, "tcp")))));
        assertTrue(dup.getMessage().contains("published twice"), dup.getMessage());
    }

    @Test
    void missingPluginBinaryIsNamedWithTheDirectoriesSearched() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cni-bin"));
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("firewall")) {
                    Files.createSymbolicLink(dir.resolve(p.getFileName()), p);
                }
            }
        }
        CniNetworkBackend partial = new CniNetworkBackend(environment(List.of(dir.toString(), tmp.resolve("nowhere").toString())));
        Sys.Netns ns = netns();
        String id = cid();
        BerthException e = assertThrows(BerthException.class, () -> partial.setup(request(id, "nofw", ns, bridge())));
        assertEquals(ErrorCode.NETWORK_ERROR, e.code());
        assertTrue(e.getMessage().contains("CNI plugin \"firewall\"") && e.getMessage().contains(dir.toString())
                && e.getMessage().contains("nowhere"), e.getMessage());
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0, "nothing was set up");
        assertEquals(List.of(), leases(defaultNet));
    }

    @Test
    void failingPluginRollsBackTheEarlierOnes() throws Exception {
        // a network whose tuning plugin fails (unknown sysctl) after bridge, portmap and firewall succeeded
        String name = "btbad" + tag;
        backend.createNetwork(name, freeSubnet(), null);
        Path f = tmp.resolve("conf").resolve(name + ".conflist");
        JsonObject conf = Json.parseObject(Files.readAllBytes(f));
        @SuppressWarnings("unchecked")
        List<Object> plugins = (List<Object>) conf.raw("plugins");
        Map<String, Object> tuning = new LinkedHashMap<>();
        tuning.put("type", "tuning");
        tuning.put("sysctl", Map.of("net.ipv4.conf.eth0.berth_no_such_knob", "1"));
        plugins.set(3, tuning);
        Files.writeString(f, Json.write(conf));
        Sys.Netns ns = netns();
        String id = cid();
        int port = Sys.freePort(18280);
        BerthException e = assertThrows(BerthException.class, () -> backend.setup(
                request(id, "broken", ns, new NetworkSpec(name, List.of(), Map.of(), List.of(new PortMapping("", port, 80, "tcp"))))));
        assertTrue(e.getMessage().contains("CNI plugin \"tuning\" (ADD, network \"" + name + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("berth_no_such_knob"), e.getMessage());
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0, "the bridge plugin's interface was removed again");
        assertEquals(List.of(), leases(name));
        String rules = Sys.ok("iptables-save");
        assertFalse(rules.contains(id), rules);
        assertFalse(rules.contains("--dport " + port), rules);
        String reg = Files.exists(tmp.resolve("run/cni-ports")) ? Files.readString(tmp.resolve("run/cni-ports")) : "";
        assertFalse(reg.contains(id), reg);
    }

    @Test
    void teardownCleansUpWhenTheNamespaceIsAlreadyGone() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        int port = Sys.freePort(18380);
        NetworkRequest r = request(id, "gone", ns, bridge(new PortMapping("", port, 80, "tcp")));
        NetworkStatus st = setup(r);
        Sys.ok("ip", "netns", "del", ns.name);
        assertFalse(Files.exists(ns.path));
        teardown(r, st);
        assertNothingLeft(id, st, defaultNet);
    }

    @Test
    void aTeardownCutShortAfterTheVethWentLeavesTheMasqueradeRuleToTheRetrysSweep() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        NetworkRequest r = request(id, "cut", ns, bridge());
        NetworkStatus st = setup(r);
        // a berth killed inside the bridge plugin's DEL: the veth is gone, its masquerade rule is not
        Files.createDirectories(tmp.resolve("run/cni-teardown"));
        Files.createFile(tmp.resolve("run/cni-teardown").resolve(id));
        ns.exec("ip", "link", "del", "eth0");
        assertTrue(Sys.ok("iptables-save", "-t", "nat").contains(id), "the masquerade rule is still there");
        teardown(r, st);
        assertNothingLeft(id, st, defaultNet);
        assertFalse(Files.exists(tmp.resolve("run/cni-teardown").resolve(id)), "the teardown's mark is gone");
    }

    @Test
    void theSweepRemovesAContainersRulesAndChainsInOneBatch() {
        String save = String.join("\n", "# Generated by iptables-save", "*nat", ":POSTROUTING ACCEPT [0:0]",
                ":CNI-abc - [0:0]",
                "-A POSTROUTING -s 10.89.0.2/32 -m comment --comment \"name: \\\"berth\\\" id: \\\"c1\\\"\" -j CNI-abc",
                "-A POSTROUTING -s 10.89.0.3/32 -m comment --comment \"name: \\\"berth\\\" id: \\\"c2\\\"\" -j CNI-def",
                "-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"berth\\\" id: \\\"c1\\\"\" -j CNI-DN-1",
                "COMMIT", "*filter", "-A CNI-FORWARD -d 10.89.0.2/32 -j ACCEPT", "COMMIT", "*mangle",
                "-A X -m comment --comment \"id: \\\"c1\\\"\" -j CNI-zzz", "COMMIT", "");
        Map<String, IptablesJanitor.Leftovers> found = IptablesJanitor.find(save, "c1");
        assertEquals(List.of("nat"), List.copyOf(found.keySet()), "filter has nothing of c1; mangle is not swept");
        assertEquals(2, found.get("nat").rules().size());
        assertEquals(List.of("CNI-abc", "CNI-DN-1"), List.copyOf(found.get("nat").chains()));
        assertEquals(String.join("\n", "*nat",
                "-D POSTROUTING -s 10.89.0.2/32 -m comment --comment \"name: \\\"berth\\\" id: \\\"c1\\\"\" -j CNI-abc",
                "-D CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"berth\\\" id: \\\"c1\\\"\" -j CNI-DN-1",
                "-F CNI-abc", "-F CNI-DN-1", "-X CNI-abc", "-X CNI-DN-1", "COMMIT", ""), IptablesJanitor.restoreScript(found));
        assertTrue(IptablesJanitor.find(save, "c3").isEmpty());
    }

    @Test
    void teardownWithoutAStoredStatusUsesTheSpec() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        int port = Sys.freePort(18480);
        NetworkRequest r = request(id, "crashed", ns, bridge(new PortMapping("127.0.0.1", port, 80, "tcp")));
        NetworkStatus st = setup(r);
        teardown(r, null);
        assertNothingLeft(id, st, defaultNet);
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0);
    }

    @Test
    void staticAddressOption() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        String want = defaultSubnet.replace(".0/24", ".77");
        NetworkRequest r = request(id, "fixed", ns, new NetworkSpec("bridge", List.of(), Map.of("ip", want), List.of()));
        NetworkStatus st = setup(r);
        assertEquals(List.of(want + "/24"), st.addresses().get(defaultNet));
        teardown(r, st);
        assertNothingLeft(id, st, defaultNet);
        BerthException e = assertThrows(BerthException.class, () -> backend.setup(
                request(id, "fixed", ns, new NetworkSpec("bridge", List.of(), Map.of("ip", "192.0.2.200"), List.of()))));
        assertTrue(e.getMessage().contains("192.0.2.200"), e.getMessage());
    }

    @Test
    void pluginErrorsAreParsedFromTheCniErrorObject() {
        String m = CniInvoker.describeError("{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"failed to allocate\",\"details\":\"range full\"}",
                "", 1);
        assertEquals("failed to allocate: range full (CNI error code 11)", m);
        String raw = CniInvoker.describeError("garbage", "panic: boom", 2);
        assertTrue(raw.contains("exit status 2") && raw.contains("garbage") && raw.contains("panic: boom"), raw);
    }

    @Test
    void subnetArithmetic() {
        Ipv4Subnet a = Ipv4Subnet.parse("10.89.0.5/24");
        assertEquals("10.89.0.0/24", a.toString());
        assertTrue(a.overlaps(Ipv4Subnet.parse("10.89.0.128/25")));
        assertTrue(Ipv4Subnet.parse("10.0.0.0/8").overlaps(a));
        assertFalse(a.overlaps(Ipv4Subnet.parse("10.89.1.0/24")));
        assertTrue(a.isUsableHost(Ipv4Subnet.parseAddress("10.89.0.254", "")));
        assertFalse(a.isUsableHost(Ipv4Subnet.parseAddress("10.89.0.255", "")));
        assertThrows(BerthException.class, () -> Ipv4Subnet.parse("10.89.0.0"));
        assertThrows(BerthException.class, () -> Ipv4Subnet.parse("fd00::/64"));
        assertThrows(BerthException.class, () -> Ipv4Subnet.parse("10.300.0.0/16"));
        assertEquals(List.of("-A", "X", "--comment", "name: \"n\" id: \"c\"", "-j", "CNI-1"),
                IptablesJanitor.tokenize("-A X --comment \"name: \\\"n\\\" id: \\\"c\\\"\" -j CNI-1"));
    }

    @Test
    void statusIsTypedAndMatchesTheNamespace() throws Exception {
        Sys.Netns ns = netns();
        String id = cid();
        NetworkRequest r = request(id, "typed", ns, bridge());
        NetworkStatus st = setup(r);
        assertEquals(1, st.attachments().size());
        NetworkAttachment a = st.attachments().get(0);
        assertEquals(defaultNet, a.network());
        assertEquals("eth0", a.interfaceName());
        String gw = defaultSubnet.replace(".0/24", ".1");
        assertEquals(List.of(gw), a.gateways());
        assertEquals(1, a.addresses().size());
        assertTrue(a.addresses().get(0).endsWith("/24"), a.addresses().toString());
        String link = ns.exec("ip", "link", "show", "eth0");
        assertFalse(a.macAddress().isEmpty());
        assertTrue(link.contains("link/ether " + a.macAddress()), link + " vs " + a.macAddress());
        assertTrue(ns.exec("ip", "-4", "addr", "show", "eth0").contains(a.addresses().get(0)));
        assertTrue(ns.exec("ip", "route").contains("default via " + gw), ns.exec("ip", "route"));
        assertEquals(List.of(), st.dnsServers(), "the default network names no DNS servers: the host's are used");
        assertTrue(st.hostEntries().contains(new HostEntry(ip(st, defaultNet), List.of("typed", "typed-host"))),
                st.hostEntries().toString());
        teardown(r, roundTrip(st));
        assertNothingLeft(id, st, defaultNet);
    }

    @Test
    void dnsServersAndSearchDomainsComeFromTheCniResult() throws Exception {
        String name = "btdns" + tag;
        backend.createNetwork(name, freeSubnet(), null);
        Path f = tmp.resolve("conf").resolve(name + ".conflist");
        JsonObject conf = Json.parseObject(Files.readAllBytes(f));
        @SuppressWarnings("unchecked")
        Map<String, Object> bridgePlugin = (Map<String, Object>) ((List<Object>) conf.raw("plugins")).get(0);
        // the bridge plugin copies its config's dns into its result, as podman's dnsname setups rely on
        bridgePlugin.put("dns", Map.of("nameservers", List.of("192.0.2.53", "192.0.2.54"), "search", List.of("kit.test")));
        Files.writeString(f, Json.write(conf));
        Sys.Netns ns = netns();
        String id = cid();
        NetworkRequest r = request(id, "dns", ns, new NetworkSpec(name, List.of(), Map.of(), List.of()));
        NetworkStatus st = setup(r);
        assertEquals(List.of("192.0.2.53", "192.0.2.54"), st.dnsServers());
        assertEquals(List.of("kit.test"), st.dnsSearch());
        teardown(r, st);
        assertNothingLeft(id, st, name);
        backend.removeNetwork(name);
    }

    @Test
    void defaultNetworkOptionNamesTheNetworkBridgeJoins() {
        assertEquals(java.util.Optional.of(defaultNet), backend.defaultNetwork());
        assertEquals(Set.of(berth.kernel.spi.network.NetworkCapability.values()), backend.capabilities());
        CniNetworkBackend plain = new CniNetworkBackend(new NetworkEnvironment(tmp.resolve("c2"), tmp.resolve("r2"), List.of(),
                Map.of(), warnings::add));
        assertEquals(java.util.Optional.of("berth"), plain.defaultNetwork(), "default_network defaults to berth");
        assertTrue(plain.handles("berth"));
    }

    @Test
    void badOptionValuesAreRefusedNamingTheOption() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("plugin_timeout", "soon"), Map.entry("plugin_timeout", "0"),
                Map.entry("bridge_prefix", "much-too-long-prefix"), Map.entry("subnet_pool", "10.89.0.0/25"),
                Map.entry("default_subnet", "10.89.0.0"), Map.entry("default_network", "host"))) {
            BerthException e = assertThrows(BerthException.class,
                    () -> new CniNetworkBackend(environment(List.of("/usr/lib/cni"), Map.ofEntries(bad))), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()) || e.getMessage().contains(bad.getValue()), e.getMessage());
        }
    }

    @Test
    void pluginTimeoutOptionBoundsEachPluginCall() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("slow-bin"));
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("firewall")) {
                    Files.createSymbolicLink(dir.resolve(p.getFileName()), p);
                }
            }
        }
        Path firewall = dir.resolve("firewall"); // a plugin berth always runs
        Files.writeString(firewall, "#!/bin/sh\nexec sleep 20\n"); // exec: the killed process is the sleeper itself
        firewall.toFile().setExecutable(true);
        CniNetworkBackend slow = new CniNetworkBackend(environment(List.of(dir.toString()), Map.of("plugin_timeout", "1")));
        Sys.Netns ns = netns();
        String id = cid();
        long t0 = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> slow.setup(request(id, "slow", ns, bridge())));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("CNI plugin \"firewall\"") && e.getMessage().contains("within 1000 ms"), e.getMessage());
        assertTrue(ms < 15000, "gave up after " + ms + " ms");
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0, "the partial setup was undone");
        assertEquals(List.of(), leases(defaultNet));
        assertFalse(Sys.ok("iptables-save").contains(id));
    }

    /**
     * A berth killed during its ADD leaves the plugin running. The next berth's teardown (recovery:
     * no stored result) must let that straggler finish before its DEL, or the lease and veth the
     * straggler makes afterwards are never released.
     */
    @Test
    void teardownWaitsForTheAddOfAKilledBerthBeforeDeleting() throws Exception {
        String warmUp = cid();
        Sys.Netns warmNs = netns();
        NetworkRequest warm = request(warmUp, "warm", warmNs, bridge());
        backend.teardown(warm, setup(warm)); // one namespace for both: the DEL finds the addresses whose rules it deletes
        assertFalse(Sys.ok("iptables-save").contains(warmUp));
        attached.clear();
        JsonObject conflist = Json.parseObject(Files.readString(tmp.resolve("conf").resolve(defaultNet + ".conflist")));
        Map<String, Object> bridgeConf = new LinkedHashMap<>(conflist.objects("plugins").get(0).asMap());
        bridgeConf.put("name", defaultNet);
        bridgeConf.put("cniVersion", conflist.str("cniVersion"));
        Sys.Netns ns = netns();
        String id = cid();
        // the orphan: the bridge plugin's ADD, started late as if its berth had just been killed
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "sleep 0.7; exec /usr/lib/cni/bridge");
        pb.environment().putAll(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", id, "CNI_NETNS", ns.path.toString(),
                "CNI_IFNAME", "eth0", "CNI_PATH", "/usr/lib/cni"));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process orphan = pb.start();
        try (var in = orphan.getOutputStream()) {
            in.write(Json.writeBytes(bridgeConf));
        }
        backend.teardown(request(id, "orphaned", ns, bridge()), NetworkStatus.empty("cni"));
        assertFalse(orphan.isAlive(), "the teardown ran after the straggler ended");
        assertEquals(0, orphan.exitValue(), "the straggler's ADD had finished, not been killed");
        assertEquals(List.of(), leases(defaultNet, id), "its lease was released by the DEL after it");
        assertFalse(ns.tryExec("ip", "link", "show", "eth0").rc() == 0, "its interface was deleted by the DEL after it");
        assertFalse(Sys.ok("iptables-save").contains(id), "its masquerade rule was deleted by the DEL after it");
    }

    @Test
    void anUnreadableConflistIsAWarningNotOutput() throws Exception {
        backend.networks();
        Files.writeString(tmp.resolve("conf").resolve("broken" + tag + ".conflist"), "{ not json");
        List<String> names = backend.networks().stream().map(NetworkDefinition::name).toList();
        assertEquals(List.of(defaultNet), names);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("broken" + tag + ".conflist")), warnings.toString());
    }

    /** The status as the engine keeps it: toJson, written and parsed as text, fromJson. */
    private static NetworkStatus roundTrip(NetworkStatus st) throws Exception {
        NetworkStatus back = NetworkStatus.fromJson(Json.parseObject(Json.write(st.toJson())).asMap());
        assertEquals(st.attachments(), back.attachments());
        assertEquals(st.hostEntries(), back.hostEntries());
        assertEquals(st.dnsServers(), back.dnsServers());
        return back;
    }
}
