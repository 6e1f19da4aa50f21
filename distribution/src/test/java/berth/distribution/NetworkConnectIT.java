package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network connect/disconnect} (podman's 500-networking.bats "connect/disconnect") and the
 * choice of the network backend ({@code --network-backend}, {@code [network] network_backend}),
 * end to end with the real CNI plugins on the busybox rootfs. Every network is named and has its own
 * subnet 10.94.N.0/24, so the checks for leftovers can look for the test's own addresses.
 */
class NetworkConnectIT {
    private static final AtomicInteger OCTET = new AtomicInteger(10 + (int) (ProcessHandle.current().pid() % 200));

    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;
    final List<String> networks = new ArrayList<>();

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        rootfs = Berth.rootfs().toString();
        for (String plugin : List.of("bridge", "host-local", "portmap", "firewall", "tuning", "loopback")) {
            assertTrue(Files.isExecutable(Path.of("/usr/lib/cni", plugin)),
                    "/usr/lib/cni/" + plugin + " is missing: install containernetworking-plugins");
        }
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/iptables-save")), "iptables-save is missing: install iptables");
    }

    @AfterEach
    void tearDown() {
        berth.run("rm", "-a", "-f", "-t", "0");
        for (String n : networks) {
            berth.run("network", "rm", n); // its bridge goes with it
        }
        berth.cleanUp();
    }

    /**
     * A running container joins a second network: a new interface with an address there, the
     * server on that network reached by name (and the server knows it by its alias), inspect lists
     * both networks; a restart keeps it; disconnect takes the interface and the host lines away and
     * leaves no firewall rule for the address it had.
     */
    @Test
    void aRunningContainerJoinsAndLeavesASecondNetwork() throws IOException {
        String front = createNetwork("front");
        String back = createNetwork("back");
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "from the back\n");
        berth.run("run", "-d", "--name", "db", "--network", "back", "-v", www + ":/www", "--rootfs", rootfs,
                "httpd", "-f", "-p", "8080", "-h", "/www").ok();
        berth.run("run", "-d", "--name", "app", "--network", "front", "--rootfs", rootfs, "sleep", "600").ok();
        assertEquals(List.of(prefix(front)), addressPrefixes("app"));

        assertEquals("", berth.run("network", "connect", "--alias", "api", "--alias", "svc", "back", "app").ok().out());
        assertEquals(List.of(prefix(front), prefix(back)), addressPrefixes("app"));
        assertTrue(berth.run("exec", "app", "cat", "/sys/class/net/eth1/address").exitCode() == 0, "no eth1 in app");
        assertEquals("[front back]", berth.run("inspect", "-f", "{{.NetworkSettings.Networks}}", "app").ok().line());
        assertEquals("[api svc] []", berth.run("inspect", "-f",
                "{{index .NetworkSettings.Aliases \"back\"}} {{index .NetworkSettings.Aliases \"front\"}}", "app").ok().line());
        String appOnBack = address("app", "back");
        assertEquals("from the back", fetchInside("app", "http://db:8080/index.html"));
        String dbHosts = berth.run("exec", "db", "cat", "/etc/hosts").ok().out();
        assertTrue(dbHosts.matches("(?s).*" + Pattern.quote(appOnBack) + "\\t[^\\n]*\\bapp\\b[^\\n]*\\bapi svc\\b.*"), dbHosts);
        String appHosts = berth.run("exec", "app", "cat", "/etc/hosts").ok().out();
        assertTrue(appHosts.contains(appOnBack + "\t") && appHosts.matches("(?s).*\\tdb\\b.*"), appHosts);
        assertTrue(events().contains("network connect"), events());

        // a restart sets both networks up again, from the record
        berth.run("restart", "-t", "0", "app").ok();
        assertEquals(List.of(prefix(front), prefix(back)), addressPrefixes("app"));
        assertEquals("from the back", fetchInside("app", "http://db:8080/index.html"));
        appOnBack = address("app", "back");

        assertEquals("", berth.run("network", "disconnect", "back", "app").ok().out());
        assertEquals(List.of(prefix(front)), addressPrefixes("app"));
        assertEquals("[front]", berth.run("inspect", "-f", "{{.NetworkSettings.Networks}}", "app").ok().line());
        dbHosts = berth.run("exec", "db", "cat", "/etc/hosts").ok().out();
        assertFalse(dbHosts.contains(appOnBack) || dbHosts.contains("app"), dbHosts);
        appHosts = berth.run("exec", "app", "cat", "/etc/hosts").ok().out();
        assertFalse(appHosts.contains(appOnBack) || appHosts.matches("(?s).*\\tdb\\b.*"), appHosts);
        assertFalse(iptables().contains(appOnBack + "/32"), "rules left for " + appOnBack + ":\n" + iptables());
        assertTrue(events().contains("network disconnect"), events());
        String id = berth.run("inspect", "-f", "{{.Id}}", "app").ok().line();
        berth.run("rm", "-f", "-t", "0", "app", "db").ok();
        assertFalse(iptables().contains(id), "rules left for container " + id + ":\n" + iptables());
    }

    /** A created container's record changes; it starts on both networks. Running, a second connect is refused. */
    @Test
    void aCreatedContainerStartsOnTheNetworksItWasConnectedTo() {
        String one = createNetwork("one");
        String two = createNetwork("two");
        berth.run("create", "--name", "later", "--network", "one", "--rootfs", rootfs, "sleep", "600").ok();
        berth.run("network", "connect", "two", "later").ok();
        berth.run("network", "connect", "two", "later").ok(); // podman: a no-op for a container not yet set up
        assertEquals("[one two]", berth.run("inspect", "-f", "{{.NetworkSettings.Networks}}", "later").ok().line());
        berth.run("start", "later").ok();
        assertEquals(List.of(prefix(one), prefix(two)), addressPrefixes("later"));
        Berth.Result again = berth.run("network", "connect", "two", "later");
        assertEquals(125, again.exitCode(), again.err());
        assertTrue(again.err().contains("is already connected to network \"two\": network is already connected"), again.err());
        // taken off the network its --network named, it stays on the other one, after a stop too
        berth.run("network", "disconnect", "one", "later").ok();
        berth.run("stop", "-t", "0", "later").ok();
        berth.run("start", "later").ok();
        assertEquals(List.of(prefix(two)), addressPrefixes("later"));
        assertEquals("bridge [two]", berth.run("inspect", "-f", "{{.NetworkSettings.Mode}} {{.NetworkSettings.Networks}}", "later")
                .ok().line());
    }

    /** podman's test #10052: the published port follows the container through disconnect and connect. */
    @Test
    void publishedPortsSurviveDisconnectAndReconnect() throws Exception {
        createNetwork("pa");
        createNetwork("pb");
        int port = freePort();
        Path www = Files.createDirectories(tmp.resolve("pub"));
        Files.writeString(www.resolve("index.html"), "published\n");
        berth.run("run", "-d", "--name", "web", "--network", "pa", "-p", "127.0.0.1:" + port + ":80", "-v", www + ":/www",
                "--rootfs", rootfs, "httpd", "-f", "-p", "80", "-h", "/www").ok();
        String url = "http://127.0.0.1:" + port + "/index.html";
        assertEquals("published", httpGet(url, true));
        String first = address("web", "pa");

        berth.run("network", "disconnect", "pa", "web").ok();
        assertEquals(List.of(), addressPrefixes("web"));
        assertEquals(null, httpGet(url, false), "the port still answers with no network left");
        // off every network, a restart leaves it with loopback only (not on the default network)
        berth.run("restart", "-t", "0", "web").ok();
        assertEquals(List.of(), addressPrefixes("web"));
        assertEquals("bridge []", berth.run("inspect", "-f", "{{.NetworkSettings.Mode}} {{.NetworkSettings.Networks}}", "web")
                .ok().line());
        berth.run("network", "connect", "pa", "web").ok();
        assertEquals("published", httpGet(url, true));
        assertNotEquals(first, address("web", "pa"), "a reconnect gets a new address (host-local leases the next)");

        berth.run("network", "connect", "pb", "web").ok();
        berth.run("network", "disconnect", "pa", "web").ok();
        assertEquals("published", httpGet(url, true), "the port moved to the remaining network");
        berth.run("rm", "-f", "-t", "0", "web").ok();
        assertEquals(null, httpGet(url, false));
        assertFalse(iptables().contains("--dport " + port + " "), "rules left for port " + port + ":\n" + iptables());
    }

    @Test
    void errorsAreWordedAsPodmanWordsThem() {
        createNetwork("err");
        berth.run("run", "-d", "--name", "on", "--network", "err", "--rootfs", rootfs, "sleep", "600").ok();
        assertError("unable to find network with name or ID nosuch: network not found", "network", "connect", "nosuch", "on");
        assertError("no container with name or ID \"ghost\" found: no such container", "network", "connect", "err", "ghost");
        assertError("container on is not connected to network nopenet", "network", "disconnect", "nopenet", "on", "CREATE:nopenet");
        assertError("accepts 2 arg(s), received 1", "network", "connect", "err");
        assertError("accepts 2 arg(s), received 3", "network", "disconnect", "err", "on", "extra");
        for (String mode : List.of("none", "host", "slirp4netns")) {
            berth.run("create", "--name", "m-" + mode, "--network", mode, "--rootfs", rootfs, "true").ok();
            assertError("\"" + mode + "\" is not supported: invalid network mode", "network", "connect", "err", "m-" + mode);
            assertError("\"" + mode + "\" is not supported: invalid network mode", "network", "disconnect", "err", "m-" + mode);
        }
        assertEquals("[err]", berth.run("inspect", "-f", "{{.NetworkSettings.Networks}}", "on").ok().line());
    }

    /**
     * {@code --network-backend} and {@code [network] network_backend}: cni by default and when chosen;
     * a backend that is not installed, or one without named networks, is refused naming the installed
     * ones, and nothing is made; a container keeps being torn down by the backend that set it up.
     */
    @Test
    void theNetworkBackendIsChosenByFlagOrConfig() throws IOException {
        assertEquals("cni", berth.run("info", "--format", "{{.Host.NetworkBackend}}").ok().line());
        Path conf = tmp.resolve("cni.conf");
        Files.writeString(conf, "[network]\nnetwork_backend = \"cni\"\n");
        Berth configured = new Berth(tmp).global("--config", conf.toString());
        assertEquals("cni", configured.run("info", "--format", "{{.Host.NetworkBackend}}").ok().line());
        String subnet = "10.94." + OCTET.getAndIncrement() + ".0/24";
        configured.run("network", "create", "--subnet", subnet, "chosen").ok();
        networks.add("chosen");
        configured.run("run", "-d", "--name", "c", "--network", "chosen", "--rootfs", rootfs, "sleep", "600").ok();
        assertEquals(List.of(prefix(subnet)), addressPrefixes("c"));

        Berth bogus = new Berth(tmp).global("--network-backend", "nosuchbackend");
        assertEquals("nosuchbackend", bogus.run("info", "--format", "{{.Host.NetworkBackend}}").ok().line());
        Berth.Result r = bogus.run("network", "create", "--subnet", "10.94." + OCTET.getAndIncrement() + ".0/24", "never");
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains("unsupported network backend \"nosuchbackend\"") && r.err().contains("it is not installed")
                && r.err().contains("installed network backends: cni, slirp4netns"), r.err());
        r = bogus.run("run", "--rm", "--network", "bridge", "--rootfs", rootfs, "true");
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains("unsupported network backend \"nosuchbackend\""), r.err());
        r = new Berth(tmp).global("--network-backend", "slirp4netns").run("network", "ls");
        assertTrue(r.exitCode() == 125 && r.err().contains("it has no named networks"), r.err());
        assertFalse(berth.run("network", "ls").ok().out().contains("never"));

        // the container set up by cni is torn down by cni, whichever backend is chosen now
        String ip = address("c", "chosen");
        bogus.run("rm", "-f", "-t", "0", "c").ok();
        assertFalse(iptables().contains(ip + "/32"), "rules left for " + ip + ":\n" + iptables());
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
    }

    // ------------------------------------------------------------------------------------ helpers

    private void assertError(String expected, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        if (a.get(a.size() - 1).startsWith("CREATE:")) {
            createNetwork(a.remove(a.size() - 1).substring("CREATE:".length()));
        }
        Berth.Result r = berth.run(a.toArray(String[]::new));
        assertEquals(125, r.exitCode(), String.join(" ", a) + ": " + r.err());
        assertEquals("Error: " + expected, r.err().strip(), String.join(" ", a));
    }

    private String createNetwork(String name) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int n = OCTET.getAndIncrement();
            if (n > 250) {
                OCTET.set(10);
                n = OCTET.getAndIncrement();
            }
            String subnet = "10.94." + n + ".0/24";
            Berth.Result r = berth.run("network", "create", "--subnet", subnet, name);
            if (r.exitCode() == 0) {
                networks.add(name);
                return subnet;
            }
            if (!r.err().contains("overlaps")) {
                fail("network create " + name + " failed: " + r.err());
            }
        }
        throw new AssertionError("no free 10.94.N.0/24 for network " + name);
    }

    private static String prefix(String subnet) {
        return subnet.substring(0, subnet.lastIndexOf('.') + 1);
    }

    /** The /24 prefixes of the container's IPv4 addresses outside loopback, in interface order. */
    private List<String> addressPrefixes(String container) {
        String out = berth.run("exec", container, "ip", "-4", "-o", "addr").ok().out();
        List<String> prefixes = new ArrayList<>();
        Matcher m = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.)\\d+/").matcher(out);
        while (m.find()) {
            if (!m.group(1).startsWith("127.")) {
                prefixes.add(m.group(1));
            }
        }
        return prefixes;
    }

    private String address(String container, String network) {
        String out = berth.run("inspect", "-f", "{{index .NetworkSettings.Addresses \"" + network + "\"}}", container).ok().line();
        Matcher m = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(out);
        assertTrue(m.find(), "no address of " + container + " on " + network + ": " + out);
        return m.group(1);
    }

    private String fetchInside(String container, String url) {
        String[] last = {""};
        boolean ok = Berth.eventually(20_000, () -> {
            Berth.Result r = berth.run("exec", container, "timeout", "10", "busybox", "wget", "-q", "-O", "-", url);
            last[0] = r.exitCode() + " " + r.out() + r.err();
            return r.exitCode() == 0;
        });
        assertTrue(ok, "wget " + url + " in " + container + " failed: " + last[0]);
        return last[0].substring(2).strip();
    }

    /** The body of a 200, retried up to 20 s when {@code expectAnswer}; else null once a 3-second try fails. */
    private static String httpGet(String url, boolean expectAnswer) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build();
        String last = "";
        long deadline = System.currentTimeMillis() + (expectAnswer ? 20_000 : 0);
        do {
            try {
                HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body().strip();
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            if (expectAnswer) {
                Thread.sleep(200);
            }
        } while (System.currentTimeMillis() < deadline);
        if (expectAnswer) {
            fail(url + " did not answer: " + last);
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String events() {
        return berth.run("events", "--stream=false", "--filter", "type=network").ok().out();
    }

    private static String iptables() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/iptables-save").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "iptables-save hangs");
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
