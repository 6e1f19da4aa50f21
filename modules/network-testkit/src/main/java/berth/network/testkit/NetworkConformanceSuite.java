package berth.network.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import berth.kernel.json.Json;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.network.HostEntry;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite of the {@link NetworkBackend} SPI. A backend's test class extends it and names
 * its provider id and the network mode to request; the suite finds the provider through
 * {@link PluginRegistry} over the boot layer, exactly as berth does (a provider missing from its module
 * descriptor fails here first), creates a backend per test with a fresh {@link NetworkEnvironment} and
 * runs it against real network namespaces.
 *
 * <pre>
 * class MyConformanceTest extends NetworkConformanceSuite {
 *     protected String providerId() { return "mine"; }
 *     protected String mode() { return "mine"; }
 * }
 * </pre>
 *
 * <p>It checks setup and teardown (repeatable; teardown twice harmless), teardown of a half-made setup
 * with {@link NetworkStatus#empty} (status lost, namespace deleted, setup interrupted) leaving nothing
 * behind, the typed status against what is really in the namespace, and per declared
 * {@link NetworkCapability}: published ports reachable from the host (PORT_PUBLISHING), peers reaching
 * each other and knowing each other's names (PEERS), a setup refused for a host port in use leaving
 * nothing (PORT_PUBLISHING); and several containers set up at once. A case that
 * needs a capability the backend does not declare is skipped by an assumption naming it. Missing root or
 * tools fail loudly. Nothing the backend does may reach System.out or System.err: warnings belong in
 * {@link NetworkEnvironment#warnings()}.
 */
public abstract class NetworkConformanceSuite {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int CONTAINER_PORT = 8080;

    private final List<Netns> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Object[]> live = Collections.synchronizedList(new ArrayList<>());
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Path tmp;
    private String tag;
    private Map<String, String> options;
    private NetworkEnvironment environment;
    private NetworkBackendProvider provider;
    private NetworkBackend backend;

    // ------------------------------------------------------------------------------------ what a backend says

    /** The id the backend's provider is registered under, e.g. {@code cni}. */
    protected abstract String providerId();

    /** The network mode the suite's containers ask for ({@code NetworkSpec.mode()}), e.g. {@code bridge}. */
    protected abstract String mode();

    /**
     * The backend options ({@link NetworkEnvironment#options()}, as containers.conf's [network] table
     * gives them: strings, lists joined with commas) for one test. {@code tag} is 6 random hex digits
     * per test, for names that must not collide with other runs on the host (bridges, networks).
     */
    protected Map<String, String> backendOptions(String tag) {
        return Map.of();
    }

    /** The mode's options ({@code NetworkSpec.options()}) every container of the suite asks for. */
    protected Map<String, String> modeOptions() {
        return Map.of();
    }

    /** {@link NetworkEnvironment#pluginDirs()}. */
    protected List<String> pluginDirs() {
        return List.of();
    }

    /** Executables the backend needs (absolute paths or names in the system directories); missing ones fail the suite. */
    protected List<String> requiredTools() {
        return List.of();
    }

    /**
     * The mode options that ask for one address, if the backend can be asked for one (CNI's
     * {@code ip=}); the half-made-setup cases then prove the address was released by obtaining it again.
     */
    protected Optional<Map<String, String>> staticAddressOptions(String address) {
        return Optional.empty();
    }

    /** The host address ports are published on and reached at. */
    protected String publishHostIp() {
        return "127.0.0.1";
    }

    /** How many containers the concurrency case sets up at once. */
    protected int concurrentContainers() {
        return 8;
    }

    /** Backend-specific checks that a container left nothing behind (leases, registries); called after each teardown. */
    protected void assertNothingLeftBehind(NetworkRequest request, NetworkEnvironment environment) {
    }

    /** Removes what the backend keeps on the host beyond containers (a bridge of the test's network), after each test. */
    protected void cleanUpHost(String tag, Map<String, String> options) {
    }

    // ------------------------------------------------------------------------------------ fixtures for subclasses

    protected final NetworkBackend backend() {
        return backend;
    }

    protected final NetworkEnvironment environment() {
        return environment;
    }

    /** The warnings the backend (and the registry) reported during this test. */
    protected final List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** A new namespace, deleted after the test. */
    protected final Netns newNetns() {
        Netns ns = Netns.create("bntk-" + tag);
        namespaces.add(ns);
        return ns;
    }

    /** A request for a container of the suite's mode; {@code name} is also its host name's stem. */
    protected final NetworkRequest request(String containerId, String name, Netns ns, Map<String, String> extraOptions,
            PortMapping... ports) {
        Map<String, String> o = new LinkedHashMap<>(modeOptions());
        o.putAll(extraOptions);
        return new NetworkRequest(containerId, name, name + "-h", ns.path(), new NetworkSpec(mode(), List.of(), o, List.of(ports)));
    }

    protected final NetworkRequest request(String name, Netns ns, PortMapping... ports) {
        return request(newContainerId(), name, ns, Map.of(), ports);
    }

    /** Sets up; the suite tears it down after the test unless the test does. */
    protected final NetworkStatus setup(NetworkRequest r) {
        NetworkStatus st = backend.setup(r);
        assertNotNull(st, "setup returned no status");
        live.add(new Object[] {r, st});
        return st;
    }

    protected final void teardown(NetworkRequest r, NetworkStatus st) {
        backend.teardown(r, st);
        forget(r);
    }

    private void forget(NetworkRequest r) {
        live.removeIf(a -> a[0] == r);
    }

    protected static String newContainerId() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("%016x", ThreadLocalRandom.current().nextLong()));
        }
        return sb.toString();
    }

    /** A random /24 of the pool (an IPv4 CIDR of /24 or larger) that no host route covers. */
    protected static String unusedSubnet(String pool) {
        String[] pf = pool.split("/");
        int base = toInt(pf[0]);
        int prefix = Integer.parseInt(pf[1]);
        int count = 1 << (24 - prefix);
        String routes = Host.ok("ip", "-4", "route", "show", "table", "all");
        for (int tries = 0; tries < 200; tries++) {
            int net = (base & (-1 << (32 - prefix))) + (ThreadLocalRandom.current().nextInt(count) << 8);
            String dotted = toDotted(net);
            String stem = dotted.substring(0, dotted.lastIndexOf('.') + 1);
            if (!routes.contains(stem)) {
                return dotted + "/24";
            }
        }
        throw new AssertionError("no /24 of " + pool + " is free of host routes");
    }

    /** Deletes the host interfaces whose names start with the prefix (a test's bridges). */
    protected static void deleteHostInterfaces(String prefix) {
        for (String line : Host.ok("ip", "-o", "link", "show").split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1 && f[1].split("@")[0].startsWith(prefix)) {
                Host.run("ip", "link", "del", f[1].split("@")[0]);
            }
        }
    }

    // ------------------------------------------------------------------------------------ lifecycle

    @BeforeEach
    public final void prepareBackend() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!Host.isRoot()) {
            missing.add("root (network namespaces, veths and iptables need it)");
        }
        List<String> tools = new ArrayList<>(List.of("ip", "/bin/busybox"));
        tools.addAll(requiredTools());
        for (String t : tools) {
            if (Host.find(t) == null) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            fail("the network conformance suite of \"" + providerId() + "\" cannot run; missing: " + String.join(", ", missing)
                    + " (busybox-static gives /bin/busybox, iproute2 gives ip)");
        }
        tmp = Files.createTempDirectory("berth-netkit-" + providerId() + "-");
        tag = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        options = Map.copyOf(backendOptions(tag));
        environment = new NetworkEnvironment(tmp.resolve("config"), tmp.resolve("run"), pluginDirs(), options, warnings::add);
        provider = PluginRegistry.boot(warnings::add).select(NetworkBackendProvider.class, providerId());
        savedOut = System.out;
        savedErr = System.err;
        // Tee: what the backend prints stays visible, and the test fails on it afterwards.
        System.setOut(new PrintStream(new Tee(savedOut, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(savedErr, printed), true, StandardCharsets.UTF_8));
        backend = provider.create(environment);
        assertNotNull(backend, "provider " + providerId() + " created no backend");
    }

    @AfterEach
    public final void cleanUpSuiteResources() throws IOException {
        List<String> problems = new ArrayList<>();
        try {
            List<Object[]> left = new ArrayList<>(live);
            Collections.reverse(left);
            for (Object[] a : left) {
                try {
                    backend.teardown((NetworkRequest) a[0], (NetworkStatus) a[1]);
                } catch (RuntimeException e) {
                    problems.add("teardown after the test: " + e.getMessage());
                }
            }
            live.clear();
        } finally {
            if (savedOut != null) {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
            synchronized (namespaces) {
                namespaces.forEach(Netns::close);
                namespaces.clear();
            }
            if (options != null) {
                cleanUpHost(tag, options);
            }
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
        String out;
        synchronized (printed) {
            out = printed.toString(StandardCharsets.UTF_8);
        }
        assertEquals("", out, "backend " + providerId() + " wrote to System.out/System.err; warnings go to NetworkEnvironment.warnings()");
    }

    // ------------------------------------------------------------------------------------ the cases

    @Test
    public void theProviderIsFoundThroughTheRegistryAndItsBackendHandlesTheMode() {
        assertEquals(providerId(), provider.id());
        assertTrue(backend.handles(mode()), "backend " + backend.id() + " does not handle mode \"" + mode() + "\"");
        assertFalse(backend.handles("host"), "mode host is the engine's own, never a backend's");
        assertFalse(backend.handles("none"), "mode none is the engine's own, never a backend's");
        if (backend.capabilities().contains(NetworkCapability.NAMED_NETWORKS)) {
            String dflt = backend.defaultNetwork().orElseThrow(
                    () -> new AssertionError("a backend with NAMED_NETWORKS names its default network"));
            assertTrue(backend.handles(dflt), "the default network \"" + dflt + "\" is handled");
            assertTrue(backend.networks().stream().anyMatch(n -> n.name().equals(dflt)),
                    "networks() lists the default network \"" + dflt + "\"");
        }
    }

    @Test
    public void setupThenTeardownLeavesTheNamespaceAsItWas() {
        Netns ns = newNetns();
        NetworkRequest r = request("solo", ns);
        NetworkStatus st = setup(r);
        assertFalse(ns.addedLinks().isEmpty(), "setup added no interface to the namespace");
        teardown(r, st);
        assertNothingLeft(r, ns, st);
    }

    @Test
    public void setupAndTeardownAreRepeatableAndASecondTeardownIsHarmless() {
        String id = newContainerId();
        Netns first = newNetns();
        NetworkRequest r1 = request(id, "again", first, Map.of());
        NetworkStatus s1 = setup(r1);
        teardown(r1, s1);
        teardown(r1, s1); // retried after a crash: must not throw
        assertNothingLeft(r1, first, s1);
        // the same container started again gets a new namespace
        Netns second = newNetns();
        NetworkRequest r2 = request(id, "again", second, Map.of());
        NetworkStatus s2 = setup(r2);
        assertStatusIsTrue(second, s2);
        teardown(r2, s2);
        teardown(r2, NetworkStatus.empty(backend.id()));
        assertNothingLeft(r2, second, s2);
    }

    @Test
    public void teardownWithAnEmptyStatusUndoesASetupWhoseStatusWasLost() {
        halfMadeSetupIsUndone(false);
    }

    @Test
    public void teardownWithAnEmptyStatusAfterTheNamespaceWasDeletedLeavesNothingBehind() {
        halfMadeSetupIsUndone(true);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void teardownAfterAnInterruptedSetupLeavesNothingBehind() throws Exception {
        PortMapping[] ports = publishes() ? new PortMapping[] {new PortMapping(publishHostIp(), freePort(), CONTAINER_PORT, "tcp")}
                : new PortMapping[0];
        // how long a whole setup takes here, to interrupt the next ones a quarter, half and three quarters in
        Netns probe = newNetns();
        NetworkRequest pr = request("probe", probe, ports);
        long t0 = System.nanoTime();
        NetworkStatus ps = setup(pr);
        long setupMillis = Math.max(4, (System.nanoTime() - t0) / 1_000_000);
        teardown(pr, ps);
        assertNothingLeft(pr, probe, ps);

        String id = newContainerId();
        for (int quarter = 1; quarter <= 3; quarter++) {
            Netns ns = newNetns();
            NetworkRequest r = request(id, "cut", ns, Map.of(), ports);
            live.add(new Object[] {r, NetworkStatus.empty(backend.id())}); // cleaned up after a failure all the same
            Thread t = new Thread(() -> {
                try {
                    backend.setup(r); // its status is lost with the "crash"
                } catch (RuntimeException e) {
                    // an interrupted setup may fail; what it leaves is the point
                }
            }, "interrupted-setup");
            t.start();
            Thread.sleep(setupMillis * quarter / 4);
            t.interrupt();
            t.join(30_000);
            assertFalse(t.isAlive(), "setup did not return within 30 s of being interrupted");
            backend.teardown(r, NetworkStatus.empty(backend.id()));
            assertNothingLeft(r, ns, NetworkStatus.empty(backend.id()));
            forget(r);
        }
        // the host port and an address are free again: the same container can start anew
        Netns again = newNetns();
        NetworkRequest r2 = request(id, "cut", again, Map.of(), ports);
        NetworkStatus s2 = setup(r2);
        assertStatusIsTrue(again, s2);
        teardown(r2, s2);
        assertNothingLeft(r2, again, s2);
    }

    @Test
    public void aSetupRefusedForAHostPortInUseLeavesNothingBehind() throws Exception {
        assumeCapability(NetworkCapability.PORT_PUBLISHING);
        Netns ns = newNetns();
        int port = freePort();
        NetworkRequest r = request("clash", ns, new PortMapping(publishHostIp(), port, CONTAINER_PORT, "tcp"));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(publishHostIp()), port));
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> setup(r),
                    "setup published host port " + port + " that a host process listens on");
            assertTrue(String.valueOf(e.getMessage()).contains(Integer.toString(port)), "the error names the port: " + e.getMessage());
        }
        assertNothingLeft(r, ns, NetworkStatus.empty(backend.id()));
        // a refused setup needs no teardown, but one must be harmless
        backend.teardown(r, NetworkStatus.empty(backend.id()));
    }

    @Test
    public void theStatusIsTypedAndTrueInsideTheNamespace() throws Exception {
        Netns ns = newNetns();
        NetworkRequest r = request("typed", ns);
        NetworkStatus st = setup(r);
        assertStatusIsTrue(ns, st);
        // the engine keeps the status as JSON text; what it reads back must drive teardown
        NetworkStatus back = NetworkStatus.fromJson(Json.parseObject(Json.write(st.toJson())).asMap());
        assertNotNull(back, "fromJson(toJson()) gave nothing");
        assertEquals(st.backend(), back.backend());
        assertEquals(st.attachments(), back.attachments());
        assertEquals(st.dnsServers(), back.dnsServers());
        assertEquals(st.dnsSearch(), back.dnsSearch());
        assertEquals(st.hostEntries(), back.hostEntries());
        teardown(r, back);
        assertNothingLeft(r, ns, st);
    }

    @Test
    public void publishedPortsAreReachableFromTheHostAndGoneAfterTeardown() {
        assumeCapability(NetworkCapability.PORT_PUBLISHING);
        Netns ns = newNetns();
        int port = freePort();
        NetworkRequest r = request("web", ns, new PortMapping(publishHostIp(), port, CONTAINER_PORT, "tcp"));
        NetworkStatus st = setup(r);
        String hello = "hello-" + tag;
        serve(ns, CONTAINER_PORT, hello);
        assertEquals(hello, readFrom(publishHostIp(), port, 15_000),
                "published port " + publishHostIp() + ":" + port + " -> " + CONTAINER_PORT + " did not answer");
        teardown(r, st);
        assertNothingLeft(r, ns, st);
        assertFalse(answers(publishHostIp(), port, hello), "port " + port + " still forwarded after teardown");
    }

    /**
     * The engine's teardown before it removes the namespace: what the host sees is gone on return;
     * what lives only in the namespace (a helper told to exit) is gone soon after the namespace.
     */
    @Test
    public void aTeardownDiscardingTheNamespaceLeavesNothingOnTheHostAndTheRestGoesWithIt() {
        Netns ns = newNetns();
        NetworkRequest r = request("discard", ns);
        NetworkStatus st = setup(r);
        backend.teardownDiscardingNamespace(r, st);
        forget(r);
        assertNothingLeftBehind(r, environment);
        if (Host.find("iptables-save") != null) {
            String rules = Host.run("iptables-save").output();
            assertFalse(rules.contains(r.containerId()), "iptables rules still name container " + r.containerId() + ":\n" + rules);
        }
        ns.delete();
        assertTrue(eventually(() -> Host.processesMentioning(r.containerId()).isEmpty()
                && Host.processesMentioning(ns.path().toString()).isEmpty(), 5_000),
                "processes of container " + r.containerName() + " still run 5 s after its namespace was removed: "
                        + Host.processesMentioning(r.containerId()) + Host.processesMentioning(ns.path().toString()));
    }

    /** Published ports are the host's: they must be free when a discarding teardown returns, as after any teardown. */
    @Test
    public void aTeardownDiscardingTheNamespaceFreesThePublishedPortsBeforeItReturns() {
        assumeCapability(NetworkCapability.PORT_PUBLISHING);
        Netns ns = newNetns();
        int port = freePort();
        NetworkRequest r = request("discardweb", ns, new PortMapping(publishHostIp(), port, CONTAINER_PORT, "tcp"));
        NetworkStatus st = setup(r);
        backend.teardownDiscardingNamespace(r, st);
        forget(r);
        assertNothingLeft(r, ns, st);
    }

    @Test
    public void containersOnOneNetworkReachEachOtherAndKnowEachOthersNames() {
        assumeCapability(NetworkCapability.PEERS);
        Netns nsA = newNetns();
        Netns nsB = newNetns();
        String nameA = "alpha" + tag;
        String nameB = "beta" + tag;
        NetworkRequest rA = request(nameA, nsA);
        NetworkStatus sA = setup(rA);
        NetworkRequest rB = request(nameB, nsB);
        NetworkStatus sB = setup(rB);
        String ipA = firstAddress(sA);
        String ipB = firstAddress(sB);
        assertFalse(ipA.equals(ipB), "two peers got one address " + ipA);

        CommandResult ping = nsB.exec("/bin/busybox", "ping", "-c", "1", "-W", "3", ipA);
        assertTrue(ping.ok(), "ping from B (" + ipB + ") to A's reported address " + ipA + ":\n" + ping.output());
        CommandResult back = nsA.exec("/bin/busybox", "ping", "-c", "1", "-W", "3", ipB);
        assertTrue(back.ok(), "ping from A (" + ipA + ") to B's reported address " + ipB + ":\n" + back.output());
        String hello = "peer-" + tag;
        serve(nsA, CONTAINER_PORT, hello);
        assertTrue(eventually(() -> nsB.exec("/bin/busybox", "nc", "-w", "3", ipA, Integer.toString(CONTAINER_PORT)).output()
                .contains(hello), 10_000), "TCP from B to " + ipA + ":" + CONTAINER_PORT + " did not reach A's listener");

        // names: B, set up after A, must map A's name to A's address; between them both names are known
        assertTrue(maps(sB.hostEntries(), nameA, ipA), "B's host entries do not map " + nameA + " to " + ipA + ": " + sB.hostEntries());
        List<HostEntry> both = new ArrayList<>(sA.hostEntries());
        both.addAll(sB.hostEntries());
        assertTrue(maps(both, nameB, ipB), "no host entry maps " + nameB + " to " + ipB + ": " + both);
        teardown(rB, sB);
        teardown(rA, sA);
        assertNothingLeft(rA, nsA, sA);
        assertNothingLeft(rB, nsB, sB);
    }

    /**
     * CONNECT: a set-up container joins a second named network on an interface of its own (the old
     * attachments first, then the new one, all true in the namespace, its gateway reachable), a second
     * connect to it is refused, and a disconnect takes exactly that interface away; teardown then
     * leaves nothing.
     */
    @Test
    public void aSetUpContainerJoinsAndLeavesASecondNetwork() {
        assumeCapability(NetworkCapability.NAMED_NETWORKS);
        assumeCapability(NetworkCapability.CONNECT);
        String second = backend.createNetwork("kc" + tag, null, null).name();
        try {
            Netns ns = newNetns();
            NetworkRequest r = request("joiner" + tag, ns);
            NetworkStatus first = setup(r);
            NetworkStatus both = backend.connect(r, first, second, List.of("alias" + tag));
            forget(r);
            live.add(new Object[] {r, both});
            assertStatusIsTrue(ns, both);
            assertEquals(first.attachments().size() + 1, both.attachments().size(), "attachments after connect: " + both.attachments());
            NetworkAttachment added = both.attachments().get(both.attachments().size() - 1);
            assertEquals(second, added.network(), "the new attachment comes last");
            for (NetworkAttachment a : first.attachments()) {
                assertFalse(a.interfaceName().equals(added.interfaceName()), "the new attachment reuses interface " + a.interfaceName());
            }
            for (String gw : added.gateways()) {
                CommandResult ping = ns.exec("/bin/busybox", "ping", "-c", "1", "-W", "3", gw);
                assertTrue(ping.ok(), "the gateway " + gw + " of network " + second + " does not answer:\n" + ping.output());
            }
            try {
                backend.connect(r, both, second, List.of());
                fail("a second connect to network " + second + " was not refused");
            } catch (RuntimeException expected) {
                // the engine reports it
            }
            NetworkStatus after = backend.disconnect(r, both, second);
            forget(r);
            live.add(new Object[] {r, after});
            assertEquals(first.attachments().stream().map(NetworkAttachment::network).toList(),
                    after.attachments().stream().map(NetworkAttachment::network).toList(), "attachments after disconnect");
            assertStatusIsTrue(ns, after);
            assertFalse(ns.exec("ip", "link", "show", "dev", added.interfaceName()).ok(),
                    "interface " + added.interfaceName() + " is still in the namespace after disconnect");
            teardown(r, after);
            assertNothingLeft(r, ns, after);
        } finally {
            backend.removeNetwork(second);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void severalContainersSetUpAtOnceGetTheirOwnAddressesAndTearDownCleanly() throws Exception {
        int n = concurrentContainers();
        List<Netns> nss = new ArrayList<>();
        List<NetworkRequest> reqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Netns ns = newNetns();
            nss.add(ns);
            reqs.add(request("many" + i, ns));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<NetworkStatus> statuses = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<NetworkStatus>> fs = new ArrayList<>();
            for (NetworkRequest r : reqs) {
                fs.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return setup(r);
                }));
            }
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                try {
                    statuses.add(fs.get(i).get(45, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    statuses.add(null);
                    failures.add(reqs.get(i).containerName() + ": " + e.getCause());
                }
            }
            assertEquals(List.of(), failures, n + " setups at once");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                assertStatusIsTrue(nss.get(i), statuses.get(i));
                if (backend.capabilities().contains(NetworkCapability.PEERS)) {
                    String ip = firstAddress(statuses.get(i));
                    assertTrue(seen.add(ip), "address " + ip + " handed out twice on one network");
                }
            }
            List<Future<?>> downs = new ArrayList<>();
            CyclicBarrier stop = new CyclicBarrier(n);
            for (int i = 0; i < n; i++) {
                NetworkRequest r = reqs.get(i);
                NetworkStatus st = statuses.get(i);
                downs.add(pool.submit(() -> {
                    stop.await(30, TimeUnit.SECONDS);
                    teardown(r, st);
                    return null;
                }));
            }
            for (Future<?> f : downs) {
                f.get(45, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < n; i++) {
            assertNothingLeft(reqs.get(i), nss.get(i), statuses.get(i));
        }
    }

    // ------------------------------------------------------------------------------------ checks

    private void halfMadeSetupIsUndone(boolean deleteNamespace) {
        PortMapping[] ports = publishes() ? new PortMapping[] {new PortMapping(publishHostIp(), freePort(), CONTAINER_PORT, "tcp")}
                : new PortMapping[0];
        Netns ns = newNetns();
        String id = newContainerId();
        NetworkRequest r = request(id, "lost", ns, Map.of(), ports);
        // The engine "crashes" before it stores this status; the suite keeps it only to clean up if the backend fails.
        NetworkStatus st = setup(r);
        String address = firstAddress(st);
        if (deleteNamespace) {
            ns.delete();
        }
        NetworkStatus empty = NetworkStatus.empty(backend.id());
        backend.teardown(r, empty);
        backend.teardown(r, empty);
        assertNothingLeft(r, ns, st);
        forget(r);
        // nothing is held: the same host port, and (where the backend can be asked) the same address, again
        Netns again = newNetns();
        Map<String, String> same = staticAddressOptions(address).orElse(Map.of());
        NetworkRequest r2 = request(id, "lost", again, same, ports);
        NetworkStatus s2 = setup(r2);
        assertStatusIsTrue(again, s2);
        if (!same.isEmpty()) {
            assertEquals(address, firstAddress(s2), "the address of the undone setup could not be obtained again");
        }
        teardown(r2, s2);
        assertNothingLeft(r2, again, s2);
    }

    /** The typed status says what is in the namespace: interfaces, addresses, default route, MAC. */
    protected final void assertStatusIsTrue(Netns ns, NetworkStatus st) {
        assertNotNull(st, "no status");
        assertEquals(backend.id(), st.backend(), "status backend");
        assertFalse(st.attachments().isEmpty(), "the status has no attachments");
        Set<String> gateways = new HashSet<>();
        for (NetworkAttachment a : st.attachments()) {
            String what = "attachment " + a;
            assertFalse(a.network().isEmpty(), what + ": no network name");
            assertFalse(a.interfaceName().isEmpty(), what + ": no interface name");
            assertFalse(a.addresses().isEmpty(), what + ": no address");
            Map<String, Object> link = ipJson(ns, "link", "show", "dev", a.interfaceName()).get(0);
            assertTrue(String.valueOf(link.get("operstate")).equals("UP") || String.valueOf(link.get("flags")).contains("UP"),
                    what + ": interface is not up: " + link);
            if (!a.macAddress().isEmpty()) {
                assertEquals(a.macAddress().toLowerCase(), String.valueOf(link.get("address")).toLowerCase(), what + ": MAC");
            }
            Set<String> actual = new HashSet<>();
            for (Map<String, Object> i : ipJson(ns, "addr", "show", "dev", a.interfaceName())) {
                if (i.get("addr_info") instanceof List<?> infos) {
                    for (Object o : infos) {
                        if (o instanceof Map<?, ?> info) {
                            actual.add(info.get("local") + "/" + ((Number) info.get("prefixlen")).intValue());
                        }
                    }
                }
            }
            for (String cidr : a.addresses()) {
                assertTrue(cidr.matches(".+/\\d{1,3}"), what + ": address " + cidr + " is not in CIDR form");
                assertTrue(actual.contains(cidr), what + ": " + cidr + " is not on " + a.interfaceName() + " in the namespace, which has "
                        + actual);
            }
            gateways.addAll(a.gateways());
        }
        if (!gateways.isEmpty()) {
            Set<String> via = new HashSet<>();
            for (Map<String, Object> route : ipJson(ns, "route", "show", "default")) {
                via.add(String.valueOf(route.get("gateway")));
            }
            assertTrue(via.stream().anyMatch(gateways::contains), "no default route via a reported gateway " + gateways
                    + "; default routes via " + via);
        }
        for (String dns : st.dnsServers()) {
            assertTrue(IPV4.matcher(dns).matches() || dns.contains(":"), "DNS server " + dns + " is not an address");
        }
        for (HostEntry h : st.hostEntries()) {
            assertTrue(IPV4.matcher(h.address()).matches() || h.address().contains(":"), "host entry " + h + ": not an address");
            assertFalse(h.names().isEmpty(), "host entry " + h + " names nothing");
        }
    }

    /**
     * Nothing of the container is left: its interfaces are gone from the namespace (when it still
     * exists), no process mentions it or its namespace, no iptables rule names it or its host ports, the
     * host ports can be bound, and the backend's own check passes.
     */
    protected final void assertNothingLeft(NetworkRequest r, Netns ns, NetworkStatus lastKnown) {
        if (ns.exists()) {
            assertEquals(Set.of(), ns.addedLinks(), "interfaces left in namespace " + ns + " after teardown");
        }
        List<String> procs = new ArrayList<>(Host.processesMentioning(r.containerId()));
        procs.addAll(Host.processesMentioning(ns.path().toString()));
        assertEquals(List.of(), procs, "processes left behind by container " + r.containerName());
        if (Host.find("iptables-save") != null) {
            String rules = Host.run("iptables-save").output();
            assertFalse(rules.contains(r.containerId()), "iptables rules still name container " + r.containerId() + ":\n" + rules);
            for (PortMapping p : r.spec().ports()) {
                assertFalse(rules.contains("--dport " + p.hostPort() + " "), "iptables rules still mention host port " + p.hostPort()
                        + ":\n" + rules);
            }
        }
        for (PortMapping p : r.spec().ports()) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()), p.hostPort()));
            } catch (IOException e) {
                fail("host port " + p.hostPort() + " still held after teardown: " + e.getMessage());
            }
        }
        assertNothingLeftBehind(r, environment);
    }

    // ------------------------------------------------------------------------------------ helpers

    private void assumeCapability(NetworkCapability c) {
        assumeTrue(backend.capabilities().contains(c), "backend " + backend.id() + " does not declare " + c);
    }

    private boolean publishes() {
        return backend.capabilities().contains(NetworkCapability.PORT_PUBLISHING);
    }

    private static String firstAddress(NetworkStatus st) {
        assertFalse(st.attachments().isEmpty() || st.attachments().get(0).addresses().isEmpty(), "the status has no address: " + st);
        String cidr = st.attachments().get(0).addresses().get(0);
        return cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
    }

    private static boolean maps(List<HostEntry> entries, String name, String ip) {
        return entries.stream().anyMatch(h -> h.address().equals(ip) && h.names().contains(name));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ipJson(Netns ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns.name(), "-j"));
        cmd.addAll(List.of(args));
        CommandResult r = Host.run(cmd, 30);
        assertTrue(r.ok(), String.join(" ", cmd) + ": " + r.output());
        try {
            Object o = Json.parse(r.output().isBlank() ? "[]" : r.output());
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object x : (List<Object>) o) {
                out.add((Map<String, Object>) x);
            }
            return out;
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError(String.join(" ", cmd) + " printed no JSON: " + r.output(), e);
        }
    }

    /** A listener in the namespace that answers every connection with one line. */
    private static void serve(Netns ns, int port, String line) {
        ns.background("/bin/busybox", "nc", "-ll", "-p", Integer.toString(port), "-e", "/bin/busybox", "echo", line);
    }

    private static String readFrom(String host, int port, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                last = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!last.isEmpty()) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(100);
        }
        return last;
    }

    private static boolean answers(String host, int port, String hello) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(2000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains(hello);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier check, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        do {
            if (check.getAsBoolean()) {
                return true;
            }
            sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return false;
    }

    /** A TCP port free on the host, picked at random so parallel runs do not meet. */
    private static int freePort() {
        for (int tries = 0; tries < 100; tries++) {
            int p = 20000 + ThreadLocalRandom.current().nextInt(25000);
            try (ServerSocket a = new ServerSocket()) {
                a.setReuseAddress(true);
                a.bind(new InetSocketAddress("0.0.0.0", p));
            } catch (IOException e) {
                continue;
            }
            // a DNAT rule holds no socket: a port another run publishes through iptables binds fine
            if (Host.find("iptables-save") == null || !Host.run("iptables-save", "-t", "nat").output().contains("--dport " + p + " ")) {
                return p;
            }
        }
        throw new AssertionError("no free TCP port found");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int toInt(String dotted) {
        String[] o = dotted.split("\\.");
        return (Integer.parseInt(o[0]) << 24) | (Integer.parseInt(o[1]) << 16) | (Integer.parseInt(o[2]) << 8) | Integer.parseInt(o[3]);
    }

    private static String toDotted(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes to the original stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }
}
