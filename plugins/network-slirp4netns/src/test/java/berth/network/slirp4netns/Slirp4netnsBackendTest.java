package berth.network.slirp4netns;

import berth.testsupport.Sys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slirp4netns backend with the real slirp4netns 1.2.0, real namespaces and real traffic on this host. */
class Slirp4netnsBackendTest {
    @TempDir
    Path tmp;

    private NetworkEnvironment env;
    private Slirp4netnsBackend backend;
    private final List<Sys.Netns> namespaces = new ArrayList<>();
    private final List<Object[]> attached = new ArrayList<>();
    private final List<Process> hostProcesses = new ArrayList<>();
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void tools() {
        Sys.requireTools("/usr/bin/slirp4netns", "/usr/bin/setsid", Sys.BUSYBOX);
    }

    @BeforeEach
    void setUp() {
        env = environment(Map.of());
        backend = new Slirp4netnsBackend(env);
    }

    /** The options as the engine passes containers.conf's [network] table: strings, lists joined with commas. */
    private NetworkEnvironment environment(Map<String, String> options) {
        return new NetworkEnvironment(tmp.resolve("conf"), tmp.resolve("run"), List.of(), options, warnings::add);
    }

    @AfterEach
    void tearDown() {
        for (int i = attached.size() - 1; i >= 0; i--) {
            Object[] a = attached.get(i);
            try {
                backend.teardown((NetworkRequest) a[0], (NetworkStatus) a[1]);
            } catch (RuntimeException e) {
                // reported by the test itself
            }
        }
        for (Process p : hostProcesses) {
            p.destroyForcibly();
        }
        namespaces.forEach(Sys.Netns::close);
    }

    private Sys.Netns netns() {
        Sys.Netns ns = new Sys.Netns();
        namespaces.add(ns);
        return ns;
    }

    private static NetworkRequest request(String id, Sys.Netns ns, Map<String, String> options, PortMapping... ports) {
        return new NetworkRequest(id, "c-" + id.substring(0, 8), "c-" + id.substring(0, 8), ns.path,
                new NetworkSpec("slirp4netns", List.of(), options, List.of(ports)));
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

    private static long pid(NetworkStatus st) {
        return ((Number) st.details().get("pid")).longValue();
    }

    private Path www(String content) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("www-" + Sys.randomHex(4)));
        Files.writeString(d.resolve("hello.txt"), content);
        return d;
    }

    /** The process is gone for good: reaped (no /proc entry) or at least no longer running. */
    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (Files.exists(Path.of("/proc", Long.toString(pid))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(SlirpProcesses.running(pid), "slirp4netns pid " + pid + " still runs");
        assertFalse(Files.exists(Path.of("/proc", Long.toString(pid))), "slirp4netns pid " + pid + " was not reaped");
    }

    private void assertNoSlirpFor(String id) {
        Path sock = backend.socketPath(id);
        assertEquals(List.of(), SlirpProcesses.findSlirpFor(sock), "a slirp4netns still serves " + sock);
        assertFalse(Files.exists(sock), "API socket left behind");
        String ps = Sys.ok("ps", "-eo", "pid,args");
        assertFalse(ps.contains(sock.toString()), "ps still shows " + sock + ":\n" + ps);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void providerIsFoundThroughTheRegistry() {
        NetworkBackendProvider p = PluginRegistry.boot(w -> { }).select(NetworkBackendProvider.class, "slirp4netns");
        NetworkBackend b = p.create(env);
        assertEquals("slirp4netns", b.id());
        assertTrue(b.handles("slirp4netns"));
        assertFalse(b.handles("bridge"));
        assertFalse(b.handles("host"));
        assertEquals(List.of(), b.networks());
        assertThrows(BerthException.class, () -> b.createNetwork("x", null, null));
        assertFalse(Files.exists(tmp.resolve("run")), "creating the backend writes nothing");
    }

    @Test
    void containerReachesAServerOnTheHostLoopbackThrough10002() throws Exception {
        int port = Sys.freePort(18580);
        Path www = www("served by the host on loopback\n");
        hostProcesses.add(new ProcessBuilder(Sys.BUSYBOX, "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", www.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        assertEquals("served by the host on loopback\n", Sys.httpGet("127.0.0.1", port, "/hello.txt", 5000));

        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of());
        NetworkStatus st = setup(r);
        assertEquals("slirp4netns", st.backend());
        assertEquals(Map.of("slirp4netns", List.of("10.0.2.100/24")), st.addresses());
        assertEquals(List.of(new NetworkAttachment("slirp4netns", "tap0", List.of("10.0.2.100/24"), List.of("10.0.2.2"), "")),
                st.attachments());
        assertEquals(List.of("10.0.2.3"), st.dnsServers());
        assertEquals(List.of(), st.dnsSearch());
        assertEquals(List.of(), st.hostEntries());
        assertEquals("10.0.2.3", st.details().get("dns"));
        assertEquals("10.0.2.2", st.details().get("gateway"));
        assertTrue(ns.exec("ip", "route").contains("default via 10.0.2.2 dev tap0"), ns.exec("ip", "route"));
        String addr = ns.exec("ip", "-4", "addr", "show", "tap0");
        assertTrue(addr.contains("10.0.2.100/24") && addr.contains("mtu 65520"), addr);

        Sys.Result got = ns.tryExec("timeout", "10", Sys.BUSYBOX, "wget", "-q", "-O", "-", "http://10.0.2.2:" + port + "/hello.txt");
        assertEquals(0, got.rc(), got.out());
        assertEquals("served by the host on loopback\n", got.out());

        // detached: its own session, so it outlives the short-lived berth process and its terminal
        long pid = pid(st);
        assertTrue(SlirpProcesses.running(pid));
        assertEquals(pid, SlirpProcesses.sessionId(pid), "slirp4netns leads its own session");
        assertNotEquals(SlirpProcesses.sessionId(ProcessHandle.current().pid()), pid);
        List<String> args = SlirpProcesses.cmdline(pid);
        assertTrue(args.get(0).endsWith("slirp4netns"), args.toString());
        assertTrue(args.contains("--netns-type=path") && args.contains(ns.path.toString()) && args.contains("--enable-seccomp"),
                args.toString());
        assertFalse(args.contains("--enable-sandbox"), "the sandbox is off by default: " + args);
        assertFalse(args.contains("--disable-host-loopback"), args.toString());

        teardown(r, st);
        assertGone(pid);
        assertNoSlirpFor(id);
        assertFalse(Files.exists(Path.of((String) st.details().get("logFile"))), "log removed");
        // a retried teardown is harmless
        backend.teardown(r, st);
    }

    @Test
    void hostLoopbackCanBeDisallowed() throws Exception {
        int port = Sys.freePort(18680);
        Path www = www("loopback\n");
        hostProcesses.add(new ProcessBuilder(Sys.BUSYBOX, "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", www.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        Sys.httpGet("127.0.0.1", port, "/hello.txt", 5000);
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of("allow_host_loopback", "false"));
        NetworkStatus st = setup(r);
        assertTrue(SlirpProcesses.cmdline(pid(st)).contains("--disable-host-loopback"));
        Sys.Result got = ns.tryExec("timeout", "10", Sys.BUSYBOX, "wget", "-q", "-O", "-", "http://10.0.2.2:" + port + "/hello.txt");
        assertNotEquals(0, got.rc(), "the host loopback must be unreachable: " + got.out());
        teardown(r, st);
        assertGone(pid(st));
    }

    @Test
    void publishedPortReachesAServerInTheNamespace() throws Exception {
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        int port = Sys.freePort(18780);
        NetworkRequest r = request(id, ns, Map.of(), new PortMapping("127.0.0.1", port, 80, "tcp"));
        NetworkStatus st = setup(r);
        Path www = www("served from the namespace\n");
        ns.background(Sys.BUSYBOX, "httpd", "-f", "-p", "80", "-h", www.toString());
        assertEquals("served from the namespace\n", Sys.httpGet("127.0.0.1", port, "/hello.txt", 10000));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ports = (List<Map<String, Object>>) st.details().get("ports");
        assertEquals(1, ports.size());
        assertEquals(Map.of("hostIp", "127.0.0.1", "hostPort", port, "containerPort", 80, "protocol", "tcp"), ports.get(0));

        long pid = pid(st);
        teardown(r, st);
        assertGone(pid);
        assertNoSlirpFor(id);
        assertFalse(Sys.canConnect("127.0.0.1", port), "port " + port + " no longer published");
    }

    @Test
    void customCidrAndMtu() throws Exception {
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of("cidr", "10.0.7.0/24", "mtu", "1500", "enable_seccomp", "false"));
        NetworkStatus st = setup(r);
        assertEquals(List.of("10.0.7.100/24"), st.addresses().get("slirp4netns"));
        assertEquals(List.of("10.0.7.2"), st.attachments().get(0).gateways());
        assertEquals(List.of("10.0.7.3"), st.dnsServers());
        assertEquals("10.0.7.3", st.details().get("dns"));
        String addr = ns.exec("ip", "-4", "addr", "show", "tap0");
        assertTrue(addr.contains("10.0.7.100/24") && addr.contains("mtu 1500"), addr);
        assertTrue(ns.exec("ip", "route").contains("default via 10.0.7.2"));
        assertFalse(SlirpProcesses.cmdline(pid(st)).contains("--enable-seccomp"));
        teardown(r, null); // without a stored status the process is found by its socket
        assertGone(pid(st));
        assertNoSlirpFor(id);
    }

    @Test
    void badOptionsAreRefusedClearly() {
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        BerthException rk = assertThrows(BerthException.class,
                () -> backend.setup(request(id, ns, Map.of("port_handler", "rootlesskit"))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, rk.code());
        assertTrue(rk.getMessage().contains("port_handler=rootlesskit") && rk.getMessage().contains("port_handler=slirp4netns"),
                rk.getMessage());
        BerthException unknown = assertThrows(BerthException.class,
                () -> backend.setup(request(id, ns, Map.of("colour", "blue"))));
        assertTrue(unknown.getMessage().contains("\"colour\""), unknown.getMessage());
        BerthException mtu = assertThrows(BerthException.class, () -> backend.setup(request(id, ns, Map.of("mtu", "huge"))));
        assertTrue(mtu.getMessage().contains("mtu=huge"), mtu.getMessage());
        BerthException cidr = assertThrows(BerthException.class,
                () -> backend.setup(request(id, ns, Map.of("cidr", "10.0.2.0/28"))));
        assertTrue(cidr.getMessage().contains("cidr=10.0.2.0/28"), cidr.getMessage());
        BerthException loop = assertThrows(BerthException.class,
                () -> backend.setup(request(id, ns, Map.of("allow_host_loopback", "maybe"))));
        assertTrue(loop.getMessage().contains("allow_host_loopback=maybe"), loop.getMessage());
        Slirp4netnsBackend missing = new Slirp4netnsBackend(environment(Map.of("network_cmd_path", "/nonexistent/slirp4netns")));
        BerthException bin = assertThrows(BerthException.class, () -> missing.setup(request(id, ns, Map.of())));
        assertTrue(bin.getMessage().contains("/nonexistent/slirp4netns"), bin.getMessage());
        BerthException gone = assertThrows(BerthException.class, () -> backend.setup(new NetworkRequest(id, "x", "x",
                tmp.resolve("no-such-netns"), new NetworkSpec("slirp4netns", List.of(), Map.of(), List.of()))));
        assertTrue(gone.getMessage().contains("no-such-netns"), gone.getMessage());
        assertNoSlirpFor(id);
    }

    @Test
    void hostPortInUseFailsNamingThePortAndLeavesNoProcess() throws Exception {
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        int port = Sys.freePort(18880);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", port));
            BerthException e = assertThrows(BerthException.class,
                    () -> backend.setup(request(id, ns, Map.of(), new PortMapping("127.0.0.1", port, 80, "tcp"))));
            assertEquals(ErrorCode.NETWORK_ERROR, e.code());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port + "/tcp") && e.getMessage().contains("already in use"),
                    e.getMessage());
        }
        assertNoSlirpFor(id);
        assertFalse(ns.tryExec("ip", "link", "show", "tap0").rc() == 0, "no tap device was created");

        // a port another container's slirp4netns holds: refused before a second slirp4netns starts
        Sys.Netns ns2 = netns();
        String first = Sys.randomHex(64);
        NetworkRequest r1 = request(first, ns2, Map.of(), new PortMapping("127.0.0.1", port, 80, "tcp"));
        NetworkStatus s1 = setup(r1);
        BerthException e2 = assertThrows(BerthException.class,
                () -> backend.setup(request(id, ns, Map.of(), new PortMapping("", port, 81, "tcp"))));
        assertTrue(e2.getMessage().contains(String.valueOf(port)), e2.getMessage());
        assertNoSlirpFor(id);
        teardown(r1, s1);
        assertGone(pid(s1));
    }

    @Test
    void sandboxOnlyWhereItCannotUnmountHostMounts() throws Exception {
        Sys.Netns ns = netns(); // an ip-netns namespace: a leaf mount on the shared /run/netns
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of("enable_sandbox", "true"));
        String hazard = SlirpSandbox.hazard();
        if (hazard != null) {
            BerthException e = assertThrows(BerthException.class, () -> backend.setup(r));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("enable_sandbox=true is unsafe") && e.getMessage().contains("would unmount"),
                    e.getMessage());
            assertNoSlirpFor(id);
        } else {
            NetworkStatus st = setup(r);
            assertTrue(SlirpProcesses.cmdline(pid(st)).contains("--enable-sandbox"));
            teardown(r, st);
            assertGone(pid(st));
        }
        // either way the namespace survived
        assertEquals(0, ns.tryExec("true").rc(), "the namespace mount must survive");
    }

    @Test
    void setupFailureInsideSlirp4netnsIsReportedWithItsLog() throws Exception {
        // a namespace path that exists but is no namespace: slirp4netns itself fails
        Path notNs = Files.writeString(tmp.resolve("not-a-netns"), "");
        String id = Sys.randomHex(64);
        BerthException e = assertThrows(BerthException.class, () -> backend.setup(new NetworkRequest(id, "bad", "bad", notNs,
                new NetworkSpec("slirp4netns", List.of(), Map.of(), List.of()))));
        assertEquals(ErrorCode.NETWORK_ERROR, e.code());
        assertTrue(e.getMessage().contains("exited before it was ready") && e.getMessage().contains("setns"), e.getMessage());
        assertNoSlirpFor(id);
    }

    @Test
    void networkCmdOptionsGiveDefaultsThatContainerOptionsOverride() throws Exception {
        // containers.conf's network_cmd_options = ["mtu=1500", "cidr=10.0.9.0/24"] arrives joined with commas
        Slirp4netnsBackend b = new Slirp4netnsBackend(environment(Map.of("network_cmd_options", "mtu=1500, cidr=10.0.9.0/24")));
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = new NetworkRequest(id, "opts", "opts", ns.path,
                new NetworkSpec("slirp4netns", List.of(), Map.of("cidr", "10.0.8.0/24"), List.of()));
        NetworkStatus st = b.setup(r);
        attached.add(new Object[] {r, st});
        try {
            assertEquals(List.of("10.0.8.100/24"), st.attachments().get(0).addresses(), "the container's cidr wins");
            String addr = ns.exec("ip", "-4", "addr", "show", "tap0");
            assertTrue(addr.contains("10.0.8.100/24") && addr.contains("mtu 1500"), addr);
            assertTrue(SlirpProcesses.cmdline(pid(st)).contains("--mtu=1500"));
        } finally {
            b.teardown(r, st);
            attached.removeIf(a -> a[0] == r);
        }
        assertGone(pid(st));
        BerthException bad = assertThrows(BerthException.class,
                () -> SlirpOptions.parse("mtu", Map.of()));
        assertTrue(bad.getMessage().contains("network_cmd_options") && bad.getMessage().contains("\"mtu\""), bad.getMessage());
    }

    @Test
    void networkCmdPathOptionChoosesTheBinary() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin")).resolve("slirp4netns");
        Files.createSymbolicLink(bin, Path.of("/usr/bin/slirp4netns"));
        Slirp4netnsBackend b = new Slirp4netnsBackend(environment(Map.of("network_cmd_path", bin.toString())));
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of());
        NetworkStatus st = b.setup(r);
        attached.add(new Object[] {r, st});
        assertEquals(bin.toString(), SlirpProcesses.cmdline(pid(st)).get(0));
        b.teardown(r, st);
        attached.removeIf(a -> a[0] == r);
        assertGone(pid(st));
    }

    /** The engine's way: the status at once, slirp4netns coming up meanwhile, ports published once it is ready. */
    @Test
    void beginSetupReturnsTheStatusAndAwaitReadyPublishesThePorts() throws Exception {
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        int port = Sys.freePort(18790);
        NetworkRequest r = request(id, ns, Map.of(), new PortMapping("127.0.0.1", port, 80, "tcp"));
        NetworkStatus st = backend.beginSetup(r);
        attached.add(new Object[] {r, st});
        assertEquals(List.of("10.0.2.100/24"), st.addresses().get("slirp4netns"));
        assertFalse(Sys.canConnect("127.0.0.1", port), "no port is published before awaitReady");
        backend.awaitReady(r, st);
        assertTrue(ns.exec("ip", "-4", "addr", "show", "tap0").contains("10.0.2.100/24"), "tap0 configured once ready");
        Path www = www("served after awaitReady\n");
        ns.background(Sys.BUSYBOX, "httpd", "-f", "-p", "80", "-h", www.toString());
        assertEquals("served after awaitReady\n", Sys.httpGet("127.0.0.1", port, "/hello.txt", 10000));
        long pid = pid(st);
        assertTrue(SlirpProcesses.cmdline(pid).get(0).endsWith("slirp4netns"), "the status's pid is slirp4netns itself");
        teardown(r, st);
        assertGone(pid);
        assertNoSlirpFor(id);
    }

    /** A slirp4netns that never comes up fails awaitReady, naming the container; the teardown the engine then runs stops it. */
    @Test
    void aFailedAwaitReadyIsUndoneByTeardown() throws Exception {
        Path fake = Files.createDirectories(tmp.resolve("fake-never")).resolve("slirp4netns");
        Files.writeString(fake, "#!/bin/sh\necho never ready\nexec sleep 30\n");
        fake.toFile().setExecutable(true);
        Slirp4netnsBackend b = new Slirp4netnsBackend(environment(Map.of("network_cmd_path", fake.toString(), "ready_timeout", "1")));
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of());
        NetworkStatus st = b.beginSetup(r);
        long pid = pid(st);
        BerthException e = assertThrows(BerthException.class, () -> b.awaitReady(r, st));
        assertEquals(ErrorCode.TIMEOUT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(r.containerName()) && e.getMessage().contains("never ready"), e.getMessage());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "still running until torn down");
        b.teardown(r, st);
        assertGone(pid);
        assertFalse(Files.exists(Path.of((String) st.details().get("logFile"))), "log removed");
    }

    @Test
    void readyTimeoutOptionBoundsTheWaitForSlirp4netns() throws Exception {
        // a "slirp4netns" that never serves its API socket; it records its pid so the test can stop it
        Path pidFile = tmp.resolve("fake.pid");
        Path fake = Files.createDirectories(tmp.resolve("fake")).resolve("slirp4netns");
        Files.writeString(fake, "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 30\n");
        fake.toFile().setExecutable(true);
        Slirp4netnsBackend b = new Slirp4netnsBackend(environment(Map.of("network_cmd_path", fake.toString(), "ready_timeout", "1")));
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        long t0 = System.nanoTime();
        try {
            BerthException e = assertThrows(BerthException.class, () -> b.setup(request(id, ns, Map.of())));
            assertEquals(ErrorCode.TIMEOUT, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("within 1000 ms"), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
        } finally {
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (String v : List.of("later", "0", "-3")) {
            BerthException bad = assertThrows(BerthException.class,
                    () -> new Slirp4netnsBackend(environment(Map.of("ready_timeout", v))));
            assertEquals(ErrorCode.CONFIG_INVALID, bad.code());
            assertTrue(bad.getMessage().contains("ready_timeout"), bad.getMessage());
        }
    }

    /** Interrupted while waiting for readiness (the child may not even have exec'd slirp4netns yet): no process survives. */
    @Test
    void setupOnAnInterruptedThreadFailsAndLeavesNoProcess() throws Exception {
        for (int round = 0; round < 5; round++) {
            Sys.Netns ns = netns();
            String id = Sys.randomHex(64);
            Thread.currentThread().interrupt();
            try {
                BerthException e = assertThrows(BerthException.class, () -> backend.setup(request(id, ns, Map.of())));
                assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            } finally {
                Thread.interrupted();
            }
            Thread.sleep(100); // a child that escaped would have exec'd and named its socket by now
            assertNoSlirpFor(id);
            assertEquals(List.of(), SlirpProcesses.findSlirpFor(backend.socketPath(id)));
            String ps = Sys.ok("ps", "-eo", "pid,args");
            assertFalse(ps.contains(ns.path.toString()), "a slirp4netns still serves " + ns.path + ":\n" + ps);
        }
    }

    @Test
    void ipv6AddsSlirpsIpv6DnsAndRouterToTheStatus() throws Exception {
        Sys.Netns ns = netns();
        String id = Sys.randomHex(64);
        NetworkRequest r = request(id, ns, Map.of("enable_ipv6", "true"));
        NetworkStatus st = setup(r);
        assertEquals(List.of("10.0.2.3", "fd00::3"), st.dnsServers());
        assertEquals(List.of("10.0.2.2", "fe80::2"), st.attachments().get(0).gateways());
        assertTrue(SlirpProcesses.cmdline(pid(st)).contains("--enable-ipv6"));
        long deadline = System.currentTimeMillis() + 5000;
        String routes = "";
        while (System.currentTimeMillis() < deadline && !routes.contains("default via fe80::2")) {
            routes = ns.exec("ip", "-6", "route");
            Thread.sleep(50);
        }
        assertTrue(routes.contains("default via fe80::2"), routes);
        teardown(r, st);
        assertGone(pid(st));
    }

    @Test
    void aTooLongSocketPathIsNamedBy16HexDigitsOfTheId() {
        String id = "0123456789abcdef".repeat(4);
        assertEquals("0123456789abcdef", Slirp4netnsBackend.shortName(id));
        // any other id: a digest of it, so two ids that share a prefix do not share a socket
        String a = Slirp4netnsBackend.shortName("a-name-that-is-no-engine-id-1");
        String b = Slirp4netnsBackend.shortName("a-name-that-is-no-engine-id-2");
        assertTrue(a.matches("[0-9a-f]{16}") && b.matches("[0-9a-f]{16}") && !a.equals(b), a + " " + b);
    }
}
