package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7 end to end: CNI bridge networks (names, addresses, published ports), slirp4netns (host
 * access, published ports), nothing left behind after {@code rm} and {@code run --rm}, and clear
 * errors for bad input. Real containers on the busybox-static rootfs; all traffic stays on this
 * machine (loopback and the namespaces the tests create). Subnets are 10.91.N.0/24, N unique per
 * network, so the leftover checks can look for the test's own addresses.
 */
class NetworkIT {
    private static final AtomicInteger OCTET = new AtomicInteger(100 + (int) (ProcessHandle.current().pid() % 100));
    private static final Pattern ID = Pattern.compile("\"Id\": \"([0-9a-f]{64})\"");
    private static final Pattern IPV4 = Pattern.compile("\"([0-9]{1,3}(?:\\.[0-9]{1,3}){3})\"");
    private static final Pattern CNI_CHAIN = Pattern.compile("CNI-(?:DN-)?[0-9a-f]{12,}");

    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;
    final List<String> networks = new ArrayList<>();
    Set<String> interfacesBefore;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        interfacesBefore = interfaces();
        rootfs = Berth.rootfs().toString();
        for (String tool : List.of("iptables-save", "ip", "slirp4netns")) {
            assertNotNull(which(tool), "this machine lacks " + tool + ", which the network tests need");
        }
        for (String plugin : List.of("bridge", "host-local", "portmap", "firewall", "tuning", "loopback")) {
            assertTrue(Files.isExecutable(Path.of("/usr/lib/cni", plugin)),
                    "/usr/lib/cni/" + plugin + " is missing: install containernetworking-plugins");
        }
    }

    @AfterEach
    void tearDown() {
        berth.run("rm", "-a", "-f", "-t", "0");
        for (String n : networks) {
            berth.run("network", "rm", n); // deletes the network's bridge
        }
        berth.cleanUp();
        // the default network's bridge stays up after its last container, as podman's does; the test removes
        // the one it brought up (when no container of anyone is attached)
        for (String dev : interfaces()) {
            if (!interfacesBefore.contains(dev) && dev.startsWith("berth") && Files.isDirectory(Path.of("/sys/class/net", dev, "bridge"))
                    && bridgePorts(dev).isEmpty()) {
                command(which("ip"), "link", "del", dev);
            }
        }
    }

    private static Set<String> interfaces() {
        Set<String> out = new LinkedHashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ info

    @Test
    void infoShowsBothNetworkPlugins() {
        String out = berth.run("info").ok().out();
        assertTrue(out.matches("(?s).*NetworkBackendProvider\\s+cni\\s+berth\\.network\\.cni\\b.*"), out);
        assertTrue(out.matches("(?s).*NetworkBackendProvider\\s+slirp4netns\\s+berth\\.network\\.slirp4netns\\b.*"), out);
        String json = berth.run("info", "-f", "json").ok().out();
        assertTrue(json.contains("berth.network.cni") && json.contains("berth.network.slirp4netns"), json);
    }

    // ------------------------------------------------------------------------------------ bridge networks

    @Test
    void containersOnOneBridgeNetworkReachEachOtherByIpAndName() throws IOException {
        String subnet = createNetwork("testnet");
        String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        Path wwwA = www("a", "hello from a");
        Path wwwB = www("b", "hello from b");
        berth.run("run", "-d", "--name", "alpha", "--network", "testnet", "-v", wwwA + ":/www", "--rootfs", rootfs,
                "httpd", "-f", "-p", "8080", "-h", "/www").ok();
        berth.run("run", "-d", "--name", "beta", "--network", "testnet", "-v", wwwB + ":/www", "--rootfs", rootfs,
                "httpd", "-f", "-p", "8080", "-h", "/www").ok();
        String ipA = address("alpha", "testnet");
        String ipB = address("beta", "testnet");
        assertTrue(ipA.startsWith(prefix) && ipB.startsWith(prefix) && !ipA.equals(ipB), ipA + " " + ipB + " in " + subnet);

        // beta reaches alpha by IP and by name; alpha (started first) reaches beta by name too: its /etc/hosts was updated
        assertEquals("hello from a", fetchInside("beta", "http://" + ipA + ":8080/index.html"));
        assertEquals("hello from a", fetchInside("beta", "http://alpha:8080/index.html"));
        assertEquals("hello from b", fetchInside("alpha", "http://" + ipB + ":8080/index.html"));
        assertEquals("hello from b", fetchInside("alpha", "http://beta:8080/index.html"));
        String hostsA = berth.run("exec", "alpha", "cat", "/etc/hosts").ok().out();
        assertTrue(hostsA.matches("(?s).*" + Pattern.quote(ipB) + "\\s+[^\\n]*\\bbeta\\b.*"), hostsA);

        // beta goes: its line leaves alpha's /etc/hosts, and nothing of it is left on the host
        Footprint b = footprint("beta", "testnet");
        berth.run("rm", "-f", "-t", "0", "beta").ok();
        assertNothingLeft(b);
        hostsA = berth.run("exec", "alpha", "cat", "/etc/hosts").ok().out();
        assertFalse(hostsA.contains("beta"), hostsA);

        // stop tears alpha's network down, start sets it up again
        Footprint a = footprint("alpha", "testnet");
        berth.run("stop", "-t", "0", "alpha").ok();
        assertNothingLeft(a);
        berth.run("start", "alpha").ok();
        berth.run("run", "-d", "--name", "gamma", "--network", "testnet", "--rootfs", rootfs, "sleep", "600").ok();
        assertEquals("hello from a", fetchInside("gamma", "http://alpha:8080/index.html"));
        a = footprint("alpha", "testnet");
        Footprint g = footprint("gamma", "testnet");
        berth.run("rm", "-f", "-t", "0", "alpha", "gamma").ok();
        assertNothingLeft(a);
        assertNothingLeft(g);
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
    }

    /**
     * The network is set up while the runtime creates the container, its /etc files filled in after:
     * the container's first instruction already sees its own address in /etc/hosts (the same file the
     * bundle made, rewritten in place) and a peer's line; the file on the host is the one mounted.
     */
    @Test
    void theFirstInstructionSeesItsOwnAddressAndItsPeers() throws IOException {
        createNetwork("firstnet");
        berth.run("run", "-d", "--name", "peer", "--network", "firstnet", "--rootfs", rootfs, "sleep", "600").ok();
        String peerIp = address("peer", "firstnet");
        Berth.Result r = berth.run("run", "--rm", "--name", "quick", "--hostname", "quickhost", "--network", "firstnet",
                "--rootfs", rootfs, "sh", "-c", "cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; ip -4 addr show eth0");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String[] parts = r.out().split("---\n");
        Matcher m = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/").matcher(parts[2]);
        assertTrue(m.find(), "eth0 has an address: " + parts[2]);
        assertTrue(parts[0].matches("(?sm).*^" + Pattern.quote(m.group(1)) + "\\tquickhost quick\\n.*"), "own line in /etc/hosts:\n" + parts[0]);
        assertFalse(parts[0].matches("(?sm).*^127\\.0\\.0\\.1\\tquickhost.*"),
                "no placeholder line once the address is known:\n" + parts[0]);
        assertTrue(parts[0].matches("(?sm).*^\\S+\\thost\\.containers\\.internal\\n.*"), "host.containers.internal:\n" + parts[0]);
        assertTrue(parts[0].matches("(?sm).*^" + Pattern.quote(peerIp) + "\\tpeer\\b.*"), "peer's line in /etc/hosts:\n" + parts[0]);
        assertTrue(parts[1].contains("nameserver "), "resolv.conf has a name server:\n" + parts[1]);
    }

    /** Containers started and removed at the same time: distinct addresses, every /etc/hosts complete, nothing left. */
    @Test
    void containersStartedAtOnceAllKnowEachOther() throws Exception {
        String subnet = createNetwork("crowd");
        String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        int n = 5;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("crowd" + i);
        }
        List<Berth.Result> results = parallel(names, name -> berth.run("run", "-d", "--name", name, "--network", "crowd",
                "--rootfs", rootfs, "sleep", "600"));
        results.forEach(Berth.Result::ok);
        Set<String> ips = new LinkedHashSet<>();
        for (String name : names) {
            ips.add(address(name, "crowd"));
        }
        assertEquals(n, ips.size(), "addresses " + ips);
        for (String name : names) {
            String hosts = berth.run("exec", name, "cat", "/etc/hosts").ok().out();
            for (String other : names) {
                assertTrue(hosts.matches("(?s).*" + Pattern.quote(prefix) + "\\d+\\s+[^\\n]*\\b" + other + "\\b.*"),
                        name + " does not know " + other + ":\n" + hosts);
            }
        }
        List<Footprint> prints = new ArrayList<>();
        for (String name : names) {
            prints.add(footprint(name, "crowd"));
        }
        parallel(names, name -> berth.run("rm", "-f", "-t", "0", name)).forEach(Berth.Result::ok);
        for (Footprint f : prints) {
            assertNothingLeft(f);
        }
    }

    private static List<Berth.Result> parallel(List<String> names, java.util.function.Function<String, Berth.Result> body)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(names.size());
        try {
            List<java.util.concurrent.Future<Berth.Result>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(pool.submit(() -> body.apply(name)));
            }
            List<Berth.Result> out = new ArrayList<>();
            for (java.util.concurrent.Future<Berth.Result> f : futures) {
                out.add(f.get(180, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code run -d -p 127.0.0.1:18080:80} with busybox httpd: the host fetches the file. The network
     * comes from {@code --network bridge}, or from {@code default_network = "bridge"} in containers.conf.
     */
    @ParameterizedTest
    @ValueSource(strings = {"flag", "config"})
    void publishedPortServesAFileToTheHost(String how) throws Exception {
        assertPortFree(18080);
        Path www = www("pub", "published " + how);
        Berth b = berth;
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", "web"));
        if (how.equals("flag")) {
            args.addAll(List.of("--network", "bridge"));
        } else {
            Path conf = tmp.resolve("default-bridge.conf");
            Files.writeString(conf, "[network]\ndefault_network = \"bridge\"\n");
            b = new Berth(tmp).global("--config", conf.toString());
        }
        args.addAll(List.of("-p", "127.0.0.1:18080:80", "-v", www + ":/www", "--rootfs", rootfs, "httpd", "-f", "-p", "80", "-h", "/www"));
        b.run(args.toArray(String[]::new)).ok();
        assertEquals("published " + how, httpGet("http://127.0.0.1:18080/index.html"));
        assertEquals("80/tcp -> 127.0.0.1:18080", berth.run("port", "web").ok().line());
        Footprint f = footprint("web", "berth");
        berth.run("rm", "-f", "-t", "0", "web").ok();
        assertNothingLeft(f);
        assertPortFree(18080);
    }

    /**
     * {@code run -d -P}: the port the image exposes (EXPOSE 80, from {@code import -c}) and an
     * {@code --expose}d one each get a free host port, which {@code port} and {@code ps} show and
     * the host reaches; a port also given with {@code -p} keeps the user's mapping.
     */
    @Test
    void publishAllPublishesTheImagesExposedPortsToFreeHostPorts() throws Exception {
        try {
            publishAll();
        } finally {
            berth.cleanUp();
            berth.run("system", "reset", "-f"); // the image store's bind mount of its overlay home goes too
        }
    }

    private void publishAll() throws Exception {
        Path tar = tmp.resolve("web.tar");
        Process p = new ProcessBuilder("tar", "-C", rootfs, "-cf", tar.toString(), ".").inheritIO().start();
        assertEquals(0, p.waitFor());
        berth.run("import", "-q", "-c", "EXPOSE 80", "-c", "EXPOSE 90/udp", tar.toString(), "localhost/web:1").ok();
        Path www = www("puball", "published to a free port");
        int fixed = freePort();
        berth.run("run", "-d", "--name", "webp", "--network", "bridge", "-P", "--expose", "81-82", "-p", "127.0.0.1:" + fixed + ":90/udp",
                "-v", www + ":/www", "localhost/web:1", "httpd", "-f", "-p", "80", "-h", "/www").ok();
        List<String> lines = berth.run("port", "webp").ok().out().lines().sorted().toList();
        assertEquals(4, lines.size(), lines.toString());
        Matcher m = Pattern.compile("80/tcp -> 0\\.0\\.0\\.0:([0-9]+)").matcher(lines.get(0));
        assertTrue(m.matches(), lines.toString());
        int hostPort = Integer.parseInt(m.group(1));
        assertTrue(lines.get(1).matches("81/tcp -> 0\\.0\\.0\\.0:[0-9]+") && lines.get(2).matches("82/tcp -> 0\\.0\\.0\\.0:[0-9]+"),
                lines.toString());
        assertEquals("90/udp -> 127.0.0.1:" + fixed, lines.get(3), "the -p mapping of an exposed port wins");
        assertEquals("published to a free port", httpGet("http://127.0.0.1:" + hostPort + "/index.html"));
        String ps = berth.run("ps", "--format", "{{.Ports}}").ok().out();
        assertTrue(ps.contains("0.0.0.0:" + hostPort + "->80/tcp"), ps);
        Footprint f = footprint("webp", "berth");
        berth.run("rm", "-f", "-t", "0", "webp").ok();
        assertNothingLeft(f);
        assertPortFree(hostPort);
        // --expose needs -P to publish anything
        berth.run("create", "--name", "quiet", "--network", "bridge", "--expose", "8080", "localhost/web:1", "true").ok();
        assertEquals("", berth.run("port", "quiet").ok().out().trim());
        berth.run("rm", "quiet").ok();
        assertTrue(berth.run("create", "-P", "--expose", "99999", "localhost/web:1", "true").exitCode() == 125);
    }

    // ------------------------------------------------------------------------------------ slirp4netns

    @Test
    void slirp4netnsReachesTheHostAndPublishesAPort() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", ex -> {
            byte[] body = "hello from the host".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            int hostPort = server.getAddress().getPort();
            // outbound to the host through 10.0.2.2, and slirp4netns's resolver in resolv.conf
            Berth.Result r = berth.run("run", "--rm", "--network", "slirp4netns", "--rootfs", rootfs, "sh", "-c",
                    "ip -4 addr show tap0; cat /etc/resolv.conf; echo ---; timeout 10 busybox wget -q -O - http://10.0.2.2:" + hostPort + "/hello");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("10.0.2.100/24"), r.out());
            assertTrue(r.out().matches("(?s)(.*\\n)?nameserver 10\\.0\\.2\\.3\\n.*"), r.out());
            assertTrue(r.out().strip().endsWith("---\nhello from the host"), r.out());
            assertEquals("", berth.run("ps", "-a", "-q").ok().out());
            // told to exit, not waited for (it holds no host port; its tap goes with the namespace), as podman's
            assertTrue(Berth.eventually(5000, () -> slirpProcesses().isEmpty()), "run --rm left slirp4netns running: "
                    + slirpProcesses());
        } finally {
            server.stop(0);
        }

        int port = freePort();
        Path www = www("slirp", "served through slirp4netns");
        berth.run("run", "-d", "--name", "sweb", "--network", "slirp4netns", "-p", "127.0.0.1:" + port + ":80", "-v", www + ":/www",
                "--rootfs", rootfs, "httpd", "-f", "-p", "80", "-h", "/www").ok();
        assertEquals(1, slirpProcesses().size(), "one slirp4netns for the container");
        assertEquals("served through slirp4netns", httpGet("http://127.0.0.1:" + port + "/index.html"));
        assertEquals("80/tcp -> 127.0.0.1:" + port, berth.run("port", "sweb").ok().line());

        // slirp4netns containers all have 10.0.2.100 and share no network: neither appears in the other's /etc/hosts
        berth.run("run", "-d", "--name", "sother", "--network", "slirp4netns", "--rootfs", rootfs, "sleep", "600").ok();
        assertEquals(2, slirpProcesses().size(), "one slirp4netns per container");
        for (String[] pair : new String[][] {{"sweb", "sother"}, {"sother", "sweb"}}) {
            String hosts = berth.run("exec", pair[0], "cat", "/etc/hosts").ok().out();
            assertTrue(hosts.matches("(?s).*\\n10\\.0\\.2\\.100\\t[^\\n]*\\b" + pair[0] + "\\b.*"), pair[0] + ":\n" + hosts);
            assertFalse(hosts.contains(pair[1]), pair[0] + ":\n" + hosts);
        }
        Footprint other = footprint("sother", null);
        berth.run("rm", "-f", "-t", "0", "sother").ok();
        assertNothingLeft(other);
        assertEquals("served through slirp4netns", httpGet("http://127.0.0.1:" + port + "/index.html"));

        Footprint f = footprint("sweb", null);
        berth.run("rm", "-f", "-t", "0", "sweb").ok();
        assertNothingLeft(f);
        assertPortFree(port);
    }

    // ------------------------------------------------------------------------------------ run --rm

    @ParameterizedTest
    @ValueSource(strings = {"bridge-network", "slirp4netns"})
    void runRmLeavesNothingBehind(String kind) throws Exception {
        String net = kind.equals("slirp4netns") ? "slirp4netns" : "rmnet";
        if (!kind.equals("slirp4netns")) {
            createNetwork(net);
        }
        int port = freePort();
        Path out = tmp.resolve("run-rm.out");
        Path err = tmp.resolve("run-rm.err");
        Process p = new ProcessBuilder(berth.command("run", "--rm", "--name", "ephemeral", "--network", net, "-p", "127.0.0.1:" + port + ":80",
                "--rootfs", rootfs, "sh", "-c", "sleep 10; echo done")).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(Berth.eventually(30_000, () -> berth.run("ps", "-q").out().strip().length() > 0),
                    "the container did not start");
            Footprint f = footprint("ephemeral", kind.equals("slirp4netns") ? null : net);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run --rm did not finish");
            assertEquals(0, p.exitValue(), Files.readString(err));
            assertEquals("done", Files.readString(out).strip());
            assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "run --rm left the container");
            assertNothingLeft(f);
            assertPortFree(port);
        } finally {
            p.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------------------------ bad input

    @ParameterizedTest
    @ValueSource(strings = {"bridge-network", "slirp4netns"})
    void hostPortInUseIsRefusedAndRmCleansUp(String kind) throws Exception {
        String net = kind.equals("slirp4netns") ? "slirp4netns" : "portnet";
        String prefix = null;
        if (!kind.equals("slirp4netns")) {
            String subnet = createNetwork(net);
            prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Berth.Result r = berth.run("run", "-d", "--name", "busy", "--network", net, "-p", "127.0.0.1:" + port + ":80",
                    "--rootfs", rootfs, "sleep", "600");
            assertEquals(125, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("127.0.0.1:" + port) && r.err().contains("already in use"), r.err());
            String id = containerId("busy");
            assertNothingLeft(new Footprint(id, prefix, null, List.of(), Set.of(), kind.equals("slirp4netns")));
            berth.run("rm", "busy").ok();
            assertEquals("", berth.run("ps", "-a", "-q").ok().out());

            // run --rm: the failed container is removed as well
            r = berth.run("run", "--rm", "--name", "busy2", "--network", net, "-p", "127.0.0.1:" + port + ":80", "--rootfs", rootfs, "true");
            assertEquals(125, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("already in use"), r.err());
            assertEquals("", berth.run("ps", "-a", "-q").ok().out());
            assertNothingLeft(new Footprint("busy2-has-no-id", prefix, null, List.of(), Set.of(), kind.equals("slirp4netns")));
        }
    }

    @Test
    void unknownNetworkIsRefused() {
        Berth.Result r = berth.run("run", "-d", "--name", "lost", "--network", "nosuchnet", "--rootfs", rootfs, "true");
        assertEquals(125, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("\"nosuchnet\"") && r.err().contains("not found"), r.err());
        assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "nothing is created for an unknown network");
        assertEquals(125, berth.run("create", "--network", "nosuchnet", "--rootfs", rootfs, "true").exitCode());
        assertEquals(125, berth.run("network", "rm", "nosuchnet").exitCode());
        assertNoNamespaceMounts();
    }

    @Test
    void overlappingSubnetIsRefused() {
        String subnet = createNetwork("first");
        String half = subnet.replace(".0/24", ".128/25");
        Berth.Result r = berth.run("network", "create", "--subnet", half, "second");
        assertEquals(125, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("overlaps") && r.err().contains(subnet) && r.err().contains("\"first\""), r.err());
        assertFalse(berth.run("network", "ls").ok().out().contains("second"));

        // a subnet of a host route (not one of berth's bridges) is refused too
        String route = hostRoute();
        if (route != null) {
            r = berth.run("network", "create", "--subnet", route, "onhost");
            assertEquals(125, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("overlaps the host route"), r.err());
        }
    }

    @Test
    void networkRmOfANetworkInUseIsRefused() {
        createNetwork("busynet");
        berth.run("run", "-d", "--name", "user", "--network", "busynet", "--rootfs", rootfs, "sleep", "600").ok();
        String bridge = bridgeOf("busynet");
        Berth.Result r = berth.run("network", "rm", "busynet");
        assertEquals(125, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("in use") && r.err().contains("user"), r.err());
        berth.run("stop", "-t", "0", "user").ok();
        assertEquals(125, berth.run("network", "rm", "busynet").exitCode(), "a stopped container still uses the network");
        assertTrue(berth.run("network", "ls").ok().out().contains("busynet"));
        berth.run("rm", "user").ok();
        assertEquals("busynet", berth.run("network", "rm", "busynet").ok().line());
        networks.remove("busynet");
        assertFalse(berth.run("network", "ls").ok().out().contains("busynet"));
        assertFalse(Files.exists(Path.of("/sys/class/net", bridge)), "network rm left bridge " + bridge);
        assertEquals(125, berth.run("run", "--rm", "--network", "busynet", "--rootfs", rootfs, "true").exitCode());
    }

    @Test
    void networkPruneRemovesOnlyUnusedNamedNetworks() {
        createNetwork("prunekept");
        createNetwork("prunegone");
        berth.run("create", "--name", "keeper", "--network", "prunekept", "--rootfs", rootfs, "true").ok();
        String before = berth.run("network", "ls").ok().out();

        // without --force it asks, and "n" keeps everything
        Berth.Result asked = berth.runWithInput("n\n".getBytes(StandardCharsets.UTF_8), 30, "network", "prune");
        assertEquals(0, asked.exitCode(), asked.err());
        assertTrue(asked.out().contains("Are you sure you want to continue? [y/N]"), asked.out());
        assertTrue(berth.run("network", "ls").ok().out().contains("prunegone"));

        // a label filter spares networks that carry no labels (all of berth's)
        assertEquals("", berth.run("network", "prune", "-f", "--filter", "label=x").ok().out());
        assertEquals(125, berth.run("network", "prune", "-f", "--filter", "bogus=1").exitCode());

        assertEquals("prunegone", berth.run("network", "prune", "--force").ok().out().strip());
        networks.remove("prunegone");
        String after = berth.run("network", "ls").ok().out();
        assertFalse(after.contains("prunegone"), after);
        assertTrue(after.contains("prunekept"), "a network a container uses stays: " + after);
        for (String line : before.lines().skip(1).toList()) {
            String name = line.split("\\s+")[0];
            if (!name.equals("prunegone")) {
                assertTrue(after.contains(name), "prune removed " + name + ": " + after);
            }
        }
        berth.run("rm", "keeper").ok();
        assertEquals("prunekept", berth.run("network", "prune", "-f").ok().out().strip());
        networks.remove("prunekept");
    }

    @Test
    void missingCniPluginIsNamedAndRmCleansUp() throws IOException {
        String subnet = createNetwork("plugnet");
        String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);

        Path empty = Files.createDirectories(tmp.resolve("no-plugins"));
        Berth r1 = withPluginDir(empty);
        Berth.Result r = r1.run("run", "-d", "--name", "noplug", "--network", "plugnet", "--rootfs", rootfs, "sleep", "600");
        assertEquals(125, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("CNI plugin \"bridge\"") && r.err().contains("not found") && r.err().contains(empty.toString()), r.err());
        String id = containerId("noplug");
        assertNothingLeft(new Footprint(id, prefix, bridgeOf("plugnet"), List.of(), Set.of(), false));
        berth.run("rm", "noplug").ok();

        // every plugin but firewall: named, and nothing on the host changed
        Path partial = pluginDirWithout("firewall");
        r = withPluginDir(partial).run("run", "-d", "--name", "nofw", "--network", "plugnet", "--rootfs", rootfs, "sleep", "600");
        assertEquals(125, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("CNI plugin \"firewall\"") && r.err().contains("plugnet") && r.err().contains(partial.toString()), r.err());
        id = containerId("nofw");
        assertNothingLeft(new Footprint(id, prefix, bridgeOf("plugnet"), List.of(), Set.of(), false));
        berth.run("rm", "nofw").ok();
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());

        // the network still works with the real plugins
        berth.run("run", "--rm", "--network", "plugnet", "--rootfs", rootfs, "true").ok();
    }

    /** A plugin that fails at ADD after bridge and portmap ran: all of it is undone. */
    @Test
    void failingCniPluginIsRolledBack() throws Exception {
        String subnet = createNetwork("failnet");
        String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        Path dir = pluginDirWithout("firewall");
        // firewall: a plugin berth always runs (a tuning without settings is passed through, not run)
        Path firewall = dir.resolve("firewall");
        Files.writeString(firewall, "#!/bin/sh\ncat >/dev/null\ncase \"$CNI_COMMAND\" in\n"
                + "ADD) echo '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"firewall exploded on purpose\"}'; exit 1;;\n"
                + "VERSION) echo '{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]}';;\n"
                + "esac\nexit 0\n");
        assertTrue(firewall.toFile().setExecutable(true));
        int port = freePort();
        Berth.Result r = withPluginDir(dir).run("run", "-d", "--name", "boom", "--network", "failnet", "-p", "127.0.0.1:" + port + ":80",
                "--rootfs", rootfs, "sleep", "600");
        assertEquals(125, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("firewall exploded on purpose") && r.err().contains("firewall"), r.err());
        String id = containerId("boom");
        assertNothingLeft(new Footprint(id, prefix, bridgeOf("failnet"), List.of(), Set.of(), false));
        assertPortFree(port);
        Path leases = berth.runRoot().resolve("networks/cni/cni-ipam/failnet");
        if (Files.isDirectory(leases)) {
            try (Stream<Path> s = Files.list(leases)) {
                for (Path lease : s.toList()) {
                    assertFalse(Files.readString(lease).contains(id), "host-local lease " + lease + " still held by " + id);
                }
            }
        }
        berth.run("rm", "boom").ok();
        // the port was released: another container publishes it
        berth.run("run", "-d", "--name", "after", "--network", "failnet", "-p", "127.0.0.1:" + port + ":80", "--rootfs", rootfs,
                "sleep", "600").ok();
        assertTrue(address("after", "failnet").startsWith(prefix));
    }

    // ------------------------------------------------------------------------------------ helpers

    /** What a container put on the host, observed while it ran. */
    record Footprint(String id, String addressPrefix, String bridge, List<String> veths, Set<String> chains, boolean slirp) {
    }

    private Footprint footprint(String name, String network) {
        String id = containerId(name);
        if (network == null) {
            assertFalse(slirpProcesses().isEmpty(), "no slirp4netns running for " + name);
            return new Footprint(id, null, null, List.of(), Set.of(), true);
        }
        String ip = address(name, network);
        String bridge = bridgeOf(network);
        // the host end of the container's eth0: the interface whose ifindex is eth0's iflink
        String iflink = berth.run("exec", name, "cat", "/sys/class/net/eth0/iflink").ok().line();
        List<String> veths = new ArrayList<>();
        for (String port : bridgePorts(bridge)) {
            try {
                if (Files.readString(Path.of("/sys/class/net", port, "ifindex")).strip().equals(iflink)) {
                    veths.add(port);
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        assertEquals(1, veths.size(), "the veth of " + name + " (ifindex " + iflink + ") on bridge " + bridge + ": " + bridgePorts(bridge));
        Set<String> chains = new LinkedHashSet<>();
        for (String line : iptablesSave()) {
            if (line.contains(id)) {
                Matcher m = CNI_CHAIN.matcher(line);
                while (m.find()) {
                    chains.add(m.group());
                }
            }
        }
        assertFalse(chains.isEmpty(), "no iptables chain for " + name);
        return new Footprint(id, ip, bridge, veths, chains, false);
    }

    /**
     * Lists what is left, then asserts that nothing is: the container's namespace mount and file, its
     * veth, iptables rules naming its id or address and its chains; when no container runs any more,
     * any namespace mount under the run root, any port on the bridge and any slirp4netns process of
     * this run root.
     */
    private void assertNothingLeft(Footprint f) {
        List<String> left = new ArrayList<>();
        boolean alone = berth.run("ps", "-q").ok().out().isBlank();
        String nsFile = berth.runRoot() + "/netns/" + (alone ? "" : "berth-" + f.id().substring(0, 12));
        for (String line : mountinfo()) {
            if (line.contains(nsFile)) {
                left.add("namespace mount: " + line);
            }
        }
        for (String v : f.veths()) {
            if (Files.exists(Path.of("/sys/class/net", v))) {
                left.add("veth " + v);
            }
        }
        if (f.bridge() != null && alone) {
            for (String v : bridgePorts(f.bridge())) {
                left.add("port " + v + " on bridge " + f.bridge());
            }
        }
        for (String line : iptablesSave()) {
            if (line.contains(f.id())) {
                left.add("iptables rule naming the container: " + line);
            } else if (f.addressPrefix() != null && line.contains(" " + f.addressPrefix())
                    && (f.addressPrefix().endsWith(".") || line.contains(f.addressPrefix() + "/32"))) {
                left.add("iptables rule for its address: " + line);
            } else {
                for (String c : f.chains()) {
                    if (line.contains(c)) {
                        left.add("iptables chain " + c + ": " + line);
                    }
                }
            }
        }
        String mine = "/netns/berth-" + f.id().substring(0, 12) + " ";
        if (!Berth.eventually(5000, () -> slirpProcesses().stream().noneMatch(p -> alone || (p + " ").contains(mine)))) {
            slirpProcesses().forEach(p -> left.add("slirp4netns process: " + p));
        }
        if (Files.exists(berth.runRoot().resolve("netns"))) {
            try (Stream<Path> s = Files.list(berth.runRoot().resolve("netns"))) {
                s.filter(p -> p.toString().startsWith(nsFile)).forEach(p -> left.add("namespace file " + p));
            } catch (IOException e) {
                left.add("cannot list " + berth.runRoot().resolve("netns") + ": " + e);
            }
        }
        assertEquals(List.of(), left, "left behind by container " + f.id());
    }

    private void assertNoNamespaceMounts() {
        for (String line : mountinfo()) {
            assertFalse(line.contains(berth.runRoot() + "/netns/"), line);
        }
    }

    /** Creates a bridge network on a subnet of its own (10.91.N.0/24); returns the subnet. */
    private String createNetwork(String name) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int n = OCTET.getAndIncrement();
            if (n > 250) {
                OCTET.set(100);
                n = OCTET.getAndIncrement();
            }
            String subnet = "10.91." + n + ".0/24";
            Berth.Result r = berth.run("network", "create", "--subnet", subnet, name);
            if (r.exitCode() == 0) {
                networks.add(name);
                return subnet;
            }
            if (!r.err().contains("overlaps")) {
                fail("network create " + name + " failed: " + r.err());
            }
        }
        throw new AssertionError("no free 10.91.N.0/24 subnet for network " + name);
    }

    private Berth withPluginDir(Path dir) throws IOException {
        Path conf = tmp.resolve("plugins-" + dir.getFileName() + ".conf");
        Files.writeString(conf, "[network]\ncni_plugin_dirs = [\"" + dir + "\"]\n");
        return new Berth(tmp).global("--config", conf.toString());
    }

    /** The real CNI plugins, linked, all but one. */
    private Path pluginDirWithout(String missing) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cni-without-" + missing));
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals(missing)) {
                    Files.createSymbolicLink(dir.resolve(p.getFileName()), p);
                }
            }
        }
        return dir;
    }

    private Path www(String name, String content) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("www-" + name));
        Files.writeString(dir.resolve("index.html"), content + "\n");
        return dir;
    }

    private String containerId(String name) {
        String out = berth.run("inspect", name).ok().out();
        Matcher m = ID.matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private String address(String name, String network) {
        String out = berth.run("inspect", name).ok().out();
        int at = out.indexOf("\"" + network + "\": [");
        assertTrue(at >= 0, "no address on " + network + " in " + out);
        Matcher m = IPV4.matcher(out);
        assertTrue(m.find(at), out);
        return m.group(1);
    }

    private String bridgeOf(String network) {
        String out = berth.run("network", "inspect", network).ok().out();
        Matcher m = Pattern.compile("\"bridge\": \"([^\"]+)\"").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    /** The interfaces enslaved to a bridge. */
    private static List<String> bridgePorts(String bridge) {
        List<String> out = new ArrayList<>();
        Path brif = Path.of("/sys/class/net", bridge, "brif");
        if (!Files.isDirectory(brif)) {
            return out;
        }
        try (Stream<Path> s = Files.list(brif)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            // the bridge went away meanwhile
        }
        return out;
    }

    /** busybox wget inside a container, retried until the server answers (httpd may still be starting). */
    private String fetchInside(String container, String url) {
        String[] last = {""};
        boolean ok = Berth.eventually(20_000, () -> {
            Berth.Result r = berth.run("exec", container, "timeout", "10", "busybox", "wget", "-q", "-O", "-", url);
            last[0] = r.exitCode() + " " + r.out() + r.err();
            return r.exitCode() == 0;
        });
        assertTrue(ok, "wget " + url + " in " + container + " failed: " + last[0]);
        return berth.run("exec", container, "timeout", "10", "busybox", "wget", "-q", "-O", "-", url).ok().out().strip();
    }

    private static String httpGet(String url) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        String last = "";
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body().strip();
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + url + " failed: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            fail("host port 127.0.0.1:" + port + " is in use: " + e.getMessage());
        }
    }

    /** slirp4netns processes serving this test's run root (zombies have no command line and are not listed). */
    private List<String> slirpProcesses() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains("slirp4netns") && cmd.contains(berth.runRoot().toString())) {
                        out.add(p.getFileName() + " " + cmd.strip());
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static List<String> mountinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> iptablesSave() {
        return command(which("iptables-save")).lines().toList();
    }

    /** A subnet the host routes to an interface that is not one of berth's bridges, if any. */
    private static String hostRoute() {
        for (String line : command(which("ip"), "-4", "-o", "route", "show", "scope", "link").lines().toList()) {
            String[] f = line.trim().split("\\s+");
            int dev = List.of(f).indexOf("dev");
            if (f.length > 0 && f[0].contains("/") && dev > 0 && !f[dev + 1].startsWith("berth")) {
                return f[0];
            }
        }
        return null;
    }

    private static String which(String tool) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return d + "/" + tool;
            }
        }
        return null;
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
