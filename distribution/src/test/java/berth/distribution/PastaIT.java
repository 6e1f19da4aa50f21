package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18, part 3, end to end: {@code --network pasta[:OPTIONS]} with Debian's pasta. A container gets
 * the host's address, reaches a server on the host, serves a published port, takes pasta's own options;
 * a missing pasta is a clear error; and nothing of pasta is left after {@code run --rm}, {@code rm}, or
 * a CLI killed with SIGKILL while it set the network up.
 */
class PastaIT {
    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        rootfs = Berth.rootfs().toString();
        for (String tool : List.of("/usr/bin/pasta", "/usr/bin/nsenter")) {
            assertTrue(Files.isExecutable(Path.of(tool)), "this machine lacks " + tool + ", which the pasta tests need (apt-get install passt util-linux)");
        }
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
        // a pasta holding no host port is told to exit and not waited for (its tap goes with the namespace)
        assertTrue(Berth.eventually(5000, () -> pastaProcesses().isEmpty()), "pasta left running after the test: " + pastaProcesses());
    }

    @Test
    void runGetsTheHostsAddressAndReachesAServerOnTheHost() throws Exception {
        String[] route = command("ip", "-4", "route", "show", "default").strip().split("\\s+"); // default via GW dev IF
        String gateway = route[2];
        String hostAddress = command("ip", "-4", "-o", "addr", "show", "dev", route[4]).strip().split("\\s+")[3];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", ex -> {
            byte[] body = "hello from the host".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            // --map-gw (podman's pseudo-option): the gateway's address reaches the host's loopback
            Berth.Result r = berth.run("run", "--rm", "--network", "pasta:--map-gw", "--rootfs", rootfs, "sh", "-c",
                    "ip -4 addr show " + route[4] + "; cat /etc/resolv.conf; echo ---; timeout 10 wget -q -O - http://" + gateway + ":" + port + "/hello");
            assertEquals(0, r.exitCode(), r.err() + r.out());
            assertTrue(r.out().contains("inet " + hostAddress), "the container lacks the host's address " + hostAddress + ":\n" + r.out());
            assertTrue(r.out().matches("(?s)(.*\\n)?nameserver 169\\.254\\.1\\.1\\n.*"), "pasta's DNS forwarder is not in resolv.conf:\n" + r.out());
            assertTrue(r.out().strip().endsWith("---\nhello from the host"), r.out());
        } finally {
            server.stop(0);
        }
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
        assertTrue(Berth.eventually(5000, () -> pastaProcesses().isEmpty()), "run --rm left pasta running: " + pastaProcesses());
    }

    @Test
    void aPublishedPortIsServedByTheContainerAndFreedByRm() throws Exception {
        int port = freePort();
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "served through pasta\n");
        berth.run("run", "-d", "--name", "pweb", "--network", "pasta", "-p", "127.0.0.1:" + port + ":80", "-v", www + ":/www",
                "--rootfs", rootfs, "httpd", "-f", "-p", "80", "-h", "/www").ok();
        assertEquals(1, pastaProcesses().size(), "one pasta for the container: " + pastaProcesses());
        assertEquals("served through pasta", httpGet("http://127.0.0.1:" + port + "/index.html"));
        assertEquals("80/tcp -> 127.0.0.1:" + port, berth.run("port", "pweb").ok().line());
        berth.run("rm", "-f", "-t", "0", "pweb").ok();
        assertEquals(List.of(), pastaProcesses(), "rm left pasta running");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            fail("host port 127.0.0.1:" + port + " still held after rm: " + e.getMessage());
        }
    }

    @Test
    void pastasOwnOptionsFollowTheColon() {
        // -4: IPv4 only; -I: the interface's name in the container
        Berth.Result r = berth.run("run", "--rm", "--network", "pasta:-4,-I,ctr0", "--rootfs", rootfs, "sh", "-c",
                "ip addr show ctr0; echo ---; ip -6 addr show scope global");
        assertEquals(0, r.exitCode(), r.err());
        String[] parts = r.out().split("---\n", 2);
        assertTrue(parts[0].contains("ctr0") && parts[0].contains("inet "), "no IPv4 address on ctr0:\n" + r.out());
        assertFalse(parts[1].contains("inet6"), "-4 still gave a global IPv6 address:\n" + r.out());
        Berth.Result bad = berth.run("run", "--rm", "--network", "pasta:--no-such-option", "--rootfs", rootfs, "true");
        assertEquals(125, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("pasta failed with exit code") && bad.err().contains("no-such-option"), bad.err());
    }

    @Test
    void aMissingPastaIsAClearErrorAndLeavesNothing() throws IOException {
        Path conf = Files.writeString(tmp.resolve("containers.conf"), "[network]\npasta_path = \"" + tmp.resolve("empty/pasta") + "\"\n");
        Berth.Result r = berth.run("--config", conf.toString(), "run", "--rm", "--network", "pasta", "--rootfs", rootfs, "true");
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains("could not find pasta") && r.err().contains("pasta_path"), r.err());
        // a PATH with every system tool but pasta (the engine needs unshare, ip, ...), and no pasta in podman's
        // helper directories either
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        for (String dir : List.of("/usr/sbin", "/usr/bin")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path t : s.toList()) {
                    String name = t.getFileName().toString();
                    if (!name.equals("pasta") && !name.startsWith("passt") && !Files.exists(tools.resolve(name))) {
                        Files.createSymbolicLink(tools.resolve(name), t);
                    }
                }
            }
        }
        Berth onPath = new Berth(tmp).env("PATH", tools.toString());
        Berth.Result p = onPath.run("run", "--rm", "--network", "pasta", "--rootfs", rootfs, "true");
        assertEquals(125, p.exitCode(), p.err());
        assertTrue(p.err().contains("could not find pasta") && p.err().contains("$PATH"), p.err());
        assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "a failed run --rm left its container");
        assertEquals(List.of(), entries(berth.runRoot().resolve("netns")), "network namespaces left");
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"init:after-netns", "init:after-network-setup"})
    void aCliKilledAroundTheNetworkSetupLeavesNoPastaOnceRemoved(String point) {
        Berth crashing = new Berth(tmp).env("BERTH_CRASH_AT", point);
        Berth.Result killed = crashing.run("run", "-d", "--name", "victim", "--network", "pasta", "--rootfs", rootfs, "sleep", "600");
        assertEquals(137, killed.exitCode(), "berth was to die by SIGKILL at " + point + "; stderr: " + killed.err());
        berth.run("rm", "-a", "-f", "-t", "0").ok();
        assertTrue(Berth.eventually(5000, () -> pastaProcesses().isEmpty()), "pasta left after a kill at " + point + " and rm -a -f: "
                + pastaProcesses());
        assertEquals(List.of(), entries(berth.runRoot().resolve("netns")), "network namespaces left after a kill at " + point);
    }

    @Test
    void aCliKilledWhilePastaStartsLeavesNoPastaOnceRemoved() throws Exception {
        for (int round = 0; round < 3; round++) {
            Process cli = new ProcessBuilder(berth.command("run", "--rm", "--network", "pasta", "--rootfs", rootfs, "sleep", "600"))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // the moment a pasta of this run root exists, setup is under way (or just done): kill the CLI there
            long deadline = System.currentTimeMillis() + 30_000;
            // judged on what the loop saw: a second look may fall on pasta's re-exec (pasta.avx2), when
            // its command line is briefly unreadable
            List<String> seen = pastaProcesses();
            while (seen.isEmpty() && cli.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
                seen = pastaProcesses();
            }
            assertFalse(seen.isEmpty(), "pasta never started" + (cli.isAlive() ? "" : " (the CLI exited " + cli.exitValue() + ")"));
            cli.destroyForcibly();
            assertTrue(cli.waitFor(10, TimeUnit.SECONDS));
            berth.run("rm", "-a", "-f", "-t", "0").ok();
            assertTrue(Berth.eventually(10_000, () -> pastaProcesses().isEmpty()), "pasta left after the CLI was killed: " + pastaProcesses());
            assertEquals(List.of(), entries(berth.runRoot().resolve("netns")), "network namespaces left");
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    /** pasta processes of this test's run root (their PID files live there). */
    private List<String> pastaProcesses() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String program = cmd.contains(" ") ? cmd.substring(0, cmd.indexOf(' ')) : cmd;
                    // pasta re-executes itself as pasta.avx2 (or passt.avx2) at start: either name is the same pasta
                    String base = program.substring(program.lastIndexOf('/') + 1);
                    if ((base.startsWith("pasta") || base.startsWith("passt")) && cmd.contains(berth.runRoot().toString())) {
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

    private static List<String> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
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
            Thread.sleep(200);
        }
        return last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
