package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 end to end: berth with {@code network_backend = "netavark"} runs containers on a netavark
 * network that podman 4.3.1 created in the shared network config directory, and they find each other
 * by name through aardvark-dns. The config and run directories are the test's own (containers.conf's
 * {@code network_config_dir}, berth's {@code network_run_dir}); podman only writes the network's JSON file.
 */
class NetavarkIT {
    private static final Pattern ADDRESS = Pattern.compile("\"Addresses\": \\{\\s*\"[^\"]+\": \\[\\s*\"([0-9.]+)\"");

    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;
    Path configDir;
    Path runDir;
    String network;
    Path podmanConf;

    @BeforeEach
    void setUp() throws IOException {
        for (String tool : List.of("/usr/lib/podman/netavark", "/usr/lib/podman/aardvark-dns", "/usr/bin/podman")) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: the netavark tests need netavark, aardvark-dns and podman 4.3.1 (apt-get install -y netavark"
                        + " aardvark-dns podman)");
            }
        }
        configDir = Files.createDirectories(tmp.resolve("networks"));
        runDir = Files.createDirectories(tmp.resolve("netavark-run"));
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, """
                [network]
                network_backend = "netavark"
                network_config_dir = "%s"
                network_run_dir = "%s"
                """.formatted(configDir, runDir));
        podmanConf = tmp.resolve("podman.conf");
        Files.writeString(podmanConf, """
                [containers]
                default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
                [network]
                network_backend = "netavark"
                network_config_dir = "%s"
                """.formatted(configDir));
        berth = new Berth(tmp).global("--config", conf.toString());
        rootfs = Berth.rootfs().toString();
        network = "nvit" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
        // netavark removes the bridge with its last container; a failed test may leave it
        String bridge = bridgeOf(network);
        if (bridge != null && Files.isDirectory(Path.of("/sys/class/net", bridge))) {
            PodmanCli.exec(List.of("ip", "link", "del", bridge), Map.of(), 30);
        }
        stopAardvark();
    }

    private String bridgeOf(String name) {
        try {
            Path f = configDir.resolve(name + ".json");
            if (!Files.exists(f)) {
                return null;
            }
            Matcher m = Pattern.compile("\"network_interface\": \"([^\"]+)\"").matcher(Files.readString(f));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void stopAardvark() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains("aardvark-dns") && cmd.contains(runDir.toString())) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private boolean aardvarkRuns() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    return cmd.contains("aardvark-dns") && cmd.contains(runDir.toString());
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String freeSubnet() {
        String routes = PodmanCli.exec(List.of("ip", "-4", "route", "show", "table", "all"), Map.of(), 30).out();
        for (int i = 0; i < 200; i++) {
            String stem = "10.89." + (200 + ThreadLocalRandom.current().nextInt(50)) + ".";
            if (!routes.contains(stem)) {
                return stem + "0/24";
            }
        }
        throw new AssertionError("no free /24 in 10.89.200.0-10.89.249.0");
    }

    @Test
    void containersOnANetworkPodmanCreatedResolveEachOtherThroughAardvarkDns() throws Exception {
        String subnet = freeSubnet();
        PodmanCli.exec(List.of("/usr/bin/podman", "--root", tmp.resolve("podman-root").toString(), "--runroot",
                tmp.resolve("podman-run").toString(), "network", "create", "--subnet", subnet, network),
                Map.of("CONTAINERS_CONF", podmanConf.toString()), 120).ok();
        assertTrue(berth.run("network", "ls").ok().out().lines().anyMatch(l -> l.startsWith(network + " ") && l.contains(subnet)),
                "berth lists the network podman created");
        String podmanId = PodmanCli.exec(List.of("/usr/bin/podman", "--root", tmp.resolve("podman-root").toString(), "--runroot",
                tmp.resolve("podman-run").toString(), "network", "inspect", "--format", "{{.ID}}", network),
                Map.of("CONTAINERS_CONF", podmanConf.toString()), 120).ok().line();
        String inspected = berth.run("network", "inspect", network).ok().out();
        assertTrue(inspected.contains("\"id\": \"" + podmanId + "\"") && inspected.contains("\"dns_enabled\": true"), inspected);

        berth.run("run", "-d", "--name", "alpha", "--network", network, "--rootfs", rootfs, "sleep", "600").ok();
        Matcher m = ADDRESS.matcher(berth.run("inspect", "alpha").ok().out());
        assertTrue(m.find(), "alpha has an address");
        String alphaIp = m.group(1);
        String stem = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        assertTrue(alphaIp.startsWith(stem), alphaIp + " is in " + subnet);

        berth.run("run", "-d", "--name", "web", "--network", network, "--rootfs", rootfs, "nc", "-ll", "-p", "8080", "-e", "echo",
                "hello-web").ok();
        Berth.Result lookup = berth.run("run", "--rm", "--name", "beta", "--network", network, "--rootfs", rootfs, "sh", "-c",
                "cat /etc/resolv.conf; nslookup alpha; nc -w 3 web 8080");
        assertEquals(0, lookup.exitCode(), lookup.out() + lookup.err());
        assertTrue(lookup.out().contains("nameserver " + stem + "1"), "resolv.conf names aardvark-dns on the gateway:\n" + lookup.out());
        // as podman writes it: aardvark-dns's search domain first
        assertTrue(lookup.out().startsWith("search dns.podman"), "resolv.conf searches dns.podman:\n" + lookup.out());
        assertTrue(lookup.out().contains("Address: " + alphaIp) || lookup.out().contains("Address 1: " + alphaIp),
                "nslookup alpha answers " + alphaIp + ":\n" + lookup.out());
        assertTrue(lookup.out().contains("hello-web"), "beta reached web:8080 by name:\n" + lookup.out());

        berth.run("rm", "-f", "-t", "0", "alpha", "web").ok();
        Path names = runDir.resolve("aardvark-dns").resolve(network);
        assertFalse(Files.exists(names) && Files.readString(names).contains("alpha"), "aardvark-dns still knows alpha");
        String bridgeName = bridgeOf(network);
        berth.run("network", "rm", network).ok();
        assertFalse(Files.exists(configDir.resolve(network + ".json")), "network rm removed podman's file");
        assertTrue(berth.run("network", "rm", "podman").err().contains("default network podman cannot be removed"));
        assertTrue(Berth.eventually(5000, () -> !aardvarkRuns()), "aardvark-dns stops with the network's last container");
        assertFalse(Files.isDirectory(Path.of("/sys/class/net", bridgeName)), "bridge " + bridgeName + " is removed with the last container");
        String rules = PodmanCli.exec(List.of("iptables-save"), Map.of(), 30).out();
        assertFalse(rules.contains(subnet), "iptables rules left for " + subnet + ":\n" + rules);
    }

    private void podmanNetworkCreate(String subnet, String... extra) {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/podman", "--root", tmp.resolve("podman-root").toString(),
                "--runroot", tmp.resolve("podman-run").toString(), "network", "create", "--subnet", subnet));
        cmd.addAll(List.of(extra));
        cmd.add(network);
        PodmanCli.exec(cmd, Map.of("CONTAINERS_CONF", podmanConf.toString()), 120).ok();
    }

    private void assertNetworkLeftNothing(String subnet) {
        assertTrue(Berth.eventually(5000, () -> !aardvarkRuns()), "aardvark-dns stops with the network's last container");
        String bridge = bridgeOf(network);
        assertFalse(Files.isDirectory(Path.of("/sys/class/net", bridge)), "bridge " + bridge + " is removed with the last container");
        String rules = PodmanCli.exec(List.of("iptables-save"), Map.of(), 30).out();
        assertFalse(rules.contains(subnet), "iptables rules left for " + subnet + ":\n" + rules);
    }

    @Test
    void aPublishedPortServesTheHostAndIsGoneAfterRm() throws Exception {
        String subnet = freeSubnet();
        podmanNetworkCreate(subnet);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        berth.run("run", "-d", "--name", "pub", "--network", network, "-p", "127.0.0.1:" + port + ":8080", "--rootfs", rootfs,
                "nc", "-ll", "-p", "8080", "-e", "echo", "hello-host").ok();
        final int p = port;
        String[] got = {""};
        assertTrue(Berth.eventually(10_000, () -> {
            try (java.net.Socket c = new java.net.Socket("127.0.0.1", p)) {
                c.setSoTimeout(3000);
                got[0] = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return got[0].contains("hello-host");
            } catch (IOException e) {
                got[0] = e.toString();
                return false;
            }
        }), "127.0.0.1:" + port + " answered: " + got[0]);
        berth.run("rm", "-f", "-t", "0", "pub").ok();
        assertFalse(PodmanCli.exec(List.of("iptables-save"), Map.of(), 30).out().contains("--dport " + port + " "),
                "port " + port + " still forwarded");
        assertNetworkLeftNothing(subnet);
    }

    /** The CLI killed with SIGKILL at points of a run; {@code rm -a -f} then leaves nothing of the network behind. */
    @Test
    void aCliKilledMidSetupLeavesNothingAfterRm() throws Exception {
        String subnet = freeSubnet();
        podmanNetworkCreate(subnet);
        for (int delay : new int[] {300, 700, 1100, 1500}) {
            Process p = berth.start(tmp.resolve("killed-" + delay + ".out"), "run", "-d", "--network", network, "--rootfs", rootfs,
                    "sleep", "600");
            Thread.sleep(delay);
            p.destroyForcibly();
            p.waitFor();
        }
        berth.run("rm", "-a", "-f", "-t", "0").ok();
        assertEquals("", berth.run("ps", "-a", "-q").ok().out().strip());
        Path names = runDir.resolve("aardvark-dns").resolve(network);
        assertTrue(Berth.eventually(5000, () -> {
            try {
                return !Files.exists(names) || Files.readAllLines(names).size() <= 1;
            } catch (IOException e) {
                return false;
            }
        }), "aardvark-dns still serves names on " + network);
        assertNetworkLeftNothing(subnet);
    }
}
