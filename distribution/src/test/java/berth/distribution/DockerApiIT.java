package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real docker CLI (28.x) against {@code berth system service} on a unix socket: API negotiation,
 * pull and images from the local registry, run (attached, detached, --rm), ps, logs -f, exec (and
 * exec -it in a pseudo-terminal), cp both ways, stop, rm, networks, volumes, inspect; one engine
 * behind both front ends; bad requests answered with 4xx; a service killed with SIGKILL loses no
 * container.
 */
class DockerApiIT {
    static LocalRegistry registry;
    static Path dir;
    static Berth berth;
    static ApiService service;
    static String image;

    @BeforeAll
    static void setUp() throws IOException {
        registry = new LocalRegistry();
        dir = Files.createTempDirectory("berth-docker-api");
        Path layout = dir.resolve("layout");
        Path script = Berth.HOME.getParent().getParent().getParent().resolve("scripts/make-test-image.sh");
        ImageIT.exec(300, "bash", script.toString(), layout.toString(), "small", "0");
        image = registry.host() + "/test/busybox:1";
        ImageIT.exec(120, "skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":small", "docker://" + image);
        berth = new Berth(dir);
        service = new ApiService(berth, dir).start();
        // the registry is plain HTTP on 127.0.0.1, which Docker clients (and the API) take as insecure
        Berth.Result pull = service.docker("pull", image).ok();
        assertTrue(pull.out().contains("Downloaded newer image") || pull.out().contains(image), pull.out());
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        if (service != null) {
            service.close();
        }
        if (berth != null) {
            berth.cleanUp();
            berth.run("system", "reset", "-f");
        }
        if (registry != null) {
            registry.close();
        }
        ImageIT.exec(60, "rm", "-rf", dir.toString());
    }

    @Test
    void theClientNegotiatesApi141AndTheSocketIsForRootAndGroupOnly() throws IOException {
        assertEquals("1.41", service.docker("version", "--format", "{{.Server.APIVersion}}").ok().line());
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(service.socket)));
        Berth.Result ping = service.curl("GET", "/_ping", "-i");
        assertEquals(200, ping.exitCode());
        assertTrue(ping.out().toLowerCase().contains("api-version: 1.41"), ping.out());
    }

    @Test
    void imagesListsThePulledImage() {
        String images = service.docker("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out();
        assertTrue(images.contains(image), images);
        assertTrue(service.docker("image", "inspect", "--format", "{{.Os}}", image).ok().line().equals("linux"));
    }

    @Test
    void runRmPrintsTheOutputReturnsTheExitCodeAndLeavesNoContainer() {
        Berth.Result hi = service.docker("run", "--rm", "--name", "api-rm-1", "--network", "none", image, "sh", "-c",
                "echo hi; echo oops >&2").ok();
        assertEquals("hi", hi.line());
        assertTrue(hi.err().contains("oops"), "stderr is its own stream: " + hi.err());
        assertEquals(3, service.docker("run", "--rm", "--name", "api-rm-2", "--network", "none", image, "sh", "-c", "exit 3").exitCode());
        String left = berth.run("ps", "-a", "--format", "{{.Names}}").ok().out();
        assertFalse(left.contains("api-rm-"), "--rm removed them: " + left);
    }

    /** The docker CLI's spec-shaping flags reach the container as berth's own flags do. */
    @Test
    void dockerRunFlagsShapeTheContainer() {
        String out = service.docker("run", "--rm", "--name", "api-flags", "--network", "none", "--cap-add", "NET_ADMIN",
                "--cap-drop", "CHOWN", "--read-only", "--sysctl", "kernel.shmmax=1000000", "--group-add", "44",
                "--shm-size", "32m", "--device", "/dev/fuse:/dev/myfuse", image, "sh", "-c",
                "grep CapEff /proc/self/status; touch /x 2>/dev/null || echo root-ro; cat /proc/sys/kernel/shmmax; id -G;"
                        + " df -k /dev/shm | tail -1 | awk '{print $2}'; test -c /dev/myfuse && echo fuse").ok().out();
        // CapEff: the default set less CHOWN (bit 0) plus NET_ADMIN (bit 12)
        assertEquals("CapEff:\t00000000a80435fa\nroot-ro\n1000000\n0 44\n32768\nfuse\n", out);
        Berth.Result bad = service.docker("run", "--rm", "--network", "none", "--cap-add", "NOSUCH", image, "true");
        assertTrue(bad.exitCode() != 0 && bad.err().contains("unknown capability"), bad.err());
    }

    @Test
    void detachedContainerThroughPsLogsExecStopAndRmSharedWithTheBerthCli() {
        String id = service.docker("run", "-d", "--name", "api-bg", "--network", "none", image, "sh", "-c",
                "echo one; trap 'exit 0' TERM; while true; do sleep 0.2; done").ok().line();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertTrue(service.docker("ps", "--format", "{{.Names}} {{.Status}}").ok().out().contains("api-bg Up"));
        assertTrue(berth.run("ps", "--format", "{{.Names}}").ok().out().contains("api-bg"), "one engine, two front ends");
        assertTrue(Berth.eventually(10000, () -> service.docker("logs", "api-bg").out().contains("one")));
        assertEquals("in 0", service.docker("exec", "api-bg", "sh", "-c", "echo in $(id -u)").ok().line());
        assertEquals(4, service.docker("exec", "api-bg", "sh", "-c", "exit 4").exitCode());
        Berth.Result tty = service.client(60, Map.of(), List.of("script", "-qec", "docker exec -it api-bg sh -c 'tty; echo done'", "/dev/null"));
        assertEquals(0, tty.exitCode(), tty.out() + tty.err());
        assertTrue(tty.out().contains("/dev/pts/") && tty.out().contains("done"), tty.out());
        // the client sends its terminal's size (POST /exec/{id}/resize) once the session started
        Berth.Result sized = service.client(60, Map.of(), List.of("script", "-qec",
                "stty rows 33 cols 111; docker exec -it api-bg sh -c 'sleep 1; stty size'", "/dev/null"));
        assertTrue(sized.out().contains("33 111"), sized.out() + sized.err());
        service.docker("stop", "-t", "5", "api-bg").ok();
        assertEquals("exited 0", service.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "api-bg").ok().line());
        service.docker("rm", "api-bg").ok();
        assertFalse(berth.run("ps", "-a", "--format", "{{.Names}}").ok().out().contains("api-bg"));
    }

    @Test
    void logsFollowStreamsUntilTheContainerExits() {
        service.docker("run", "-d", "--name", "api-logs", "--network", "none", image, "sh", "-c",
                "echo first; sleep 2; echo second").ok();
        Berth.Result logs = service.docker("logs", "-f", "api-logs").ok();
        assertEquals("first\nsecond", logs.out().strip());
        service.docker("rm", "-f", "api-logs").ok();
    }

    @Test
    void cpCopiesBothWaysAndStaysInsideTheContainer() throws IOException {
        service.docker("run", "-d", "--name", "api-cp", "--network", "none", image, "sleep", "60").ok();
        Path in = dir.resolve("to-container.txt");
        Files.writeString(in, "from the host\n");
        service.docker("cp", in.toString(), "api-cp:/tmp/").ok();
        assertEquals("from the host", service.docker("exec", "api-cp", "cat", "/tmp/to-container.txt").ok().line());
        service.docker("exec", "api-cp", "sh", "-c", "mkdir -p /out/sub && echo inner > /out/sub/f && ln -s /etc/passwd /out/link").ok();
        Path out = dir.resolve("from-container");
        service.docker("cp", "api-cp:/out", out.toString()).ok();
        assertEquals("inner\n", Files.readString(out.resolve("sub/f")));
        assertTrue(Files.isSymbolicLink(out.resolve("link")), "links are copied as links");
        // a path that climbs out ends at the container's root, not the host's
        Berth.Result escape = service.curl("GET", "/containers/api-cp/archive?path=/../../../../etc/hostname");
        assertEquals(200, escape.exitCode());
        String containerHostname = service.docker("exec", "api-cp", "cat", "/etc/hostname").ok().line();
        assertTrue(escape.out().contains(containerHostname), "the container's own /etc/hostname");
        assertEquals(404, service.curl("HEAD", "/containers/api-cp/archive?path=/no/such/file", "-I").exitCode());
        service.docker("rm", "-f", "api-cp").ok();
    }

    @Test
    void namedNetworkAndVolumeAndInspect() {
        service.docker("network", "create", "api-net").ok();
        assertTrue(service.docker("network", "ls", "--format", "{{.Name}}").ok().out().contains("api-net"));
        service.docker("volume", "create", "api-vol").ok();
        service.docker("run", "--rm", "--network", "api-net", "-v", "api-vol:/data", image, "sh", "-c",
                "echo kept > /data/f; ip -4 addr show eth0 | grep -q inet").ok();
        assertEquals("kept", service.docker("run", "--rm", "--network", "none", "-v", "api-vol:/data", image, "cat", "/data/f").ok().line());
        assertEquals("local", service.docker("volume", "inspect", "--format", "{{.Driver}}", "api-vol").ok().line());
        service.docker("create", "--name", "api-inspect", "--network", "api-net", "-e", "A=b", "-l", "k=v", image, "true").ok();
        assertEquals("/api-inspect created v api-net",
                service.docker("inspect", "--format", "{{.Name}} {{.State.Status}} {{index .Config.Labels \"k\"}} {{.HostConfig.NetworkMode}}",
                        "api-inspect").ok().line());
        service.docker("rm", "api-inspect").ok();
        service.docker("volume", "rm", "api-vol").ok();
        service.docker("network", "rm", "api-net").ok();
        assertFalse(service.docker("network", "ls", "--format", "{{.Name}}").ok().out().contains("api-net"));
    }

    /** {@code docker network connect/disconnect} of a running container: the engine's, seen by the berth CLI too. */
    @Test
    void networkConnectAndDisconnectARunningContainer() {
        int octet = 200 + (int) (ProcessHandle.current().pid() % 50);
        service.docker("network", "create", "--subnet", "10.94." + octet + ".0/24", "api-c1").ok();
        service.docker("network", "create", "--subnet", "10.94." + (octet + 1) + ".0/24", "api-c2").ok();
        try {
            service.docker("run", "-d", "--name", "api-conn", "--network", "api-c1", image, "sleep", "120").ok();
            assertEquals("", service.docker("network", "connect", "--alias", "extra", "api-c2", "api-conn").ok().out());
            assertEquals("[api-c1 api-c2]", berth.run("inspect", "-f", "{{.NetworkSettings.Networks}}", "api-conn").ok().line());
            String aliases = service.docker("inspect", "--format", "{{json (index .NetworkSettings.Networks \"api-c2\").Aliases}}",
                    "api-conn").ok().line();
            assertTrue(aliases.contains("\"api-conn\"") && aliases.contains("\"extra\""), aliases);
            String eth1 = service.docker("exec", "api-conn", "ip", "-4", "-o", "addr", "show", "eth1").ok().out();
            assertTrue(eth1.contains("inet 10.94." + (octet + 1) + "."), eth1);
            assertTrue(service.docker("network", "inspect", "--format", "{{range .Containers}}{{.Name}}{{end}}", "api-c2")
                    .ok().line().contains("api-conn"));
            Berth.Result again = service.docker("network", "connect", "api-c2", "api-conn");
            assertTrue(again.exitCode() != 0 && again.err().contains("already connected"), again.err());
            Berth.Result nosuch = service.docker("network", "connect", "api-nosuch", "api-conn");
            assertTrue(nosuch.exitCode() != 0 && nosuch.err().contains("api-nosuch not found"), nosuch.err());

            assertEquals("", service.docker("network", "disconnect", "api-c2", "api-conn").ok().out());
            assertEquals("[api-c1]", berth.run("inspect", "-f", "{{.NetworkSettings.Networks}}", "api-conn").ok().line());
            assertTrue(service.docker("exec", "api-conn", "ip", "-4", "-o", "addr", "show", "eth1").exitCode() != 0, "eth1 is still there");
            Berth.Result notThere = service.docker("network", "disconnect", "--force", "api-c2", "api-conn");
            assertTrue(notThere.exitCode() != 0 && notThere.err().contains("is not connected to network api-c2"), notThere.err());
        } finally {
            service.docker("rm", "-f", "api-conn");
            service.docker("network", "rm", "api-c1", "api-c2");
        }
    }

    @Test
    void dockerComposeBringsUpTwoServicesSharingANetworkAndAVolumeThenDown() throws IOException {
        ApiService.requireOnPath("docker-compose");
        Path project = dir.resolve("compose");
        Files.createDirectories(project);
        Files.writeString(project.resolve("docker-compose.yml"), "version: \"3.7\"\n"
                + "services:\n"
                + "  writer:\n"
                + "    image: " + image + "\n"
                + "    command: [\"sh\", \"-c\", \"echo from-writer > /shared/msg; sleep 300\"]\n"
                + "    volumes: [\"data:/shared\"]\n"
                + "    networks: [back, front]\n"
                + "  reader:\n"
                + "    image: " + image + "\n"
                + "    command: [\"sh\", \"-c\", \"while [ ! -f /shared/msg ]; do sleep 0.2; done; cat /shared/msg; sleep 300\"]\n"
                + "    volumes: [\"data:/shared\"]\n"
                + "    networks: [back]\n"
                + "    depends_on: [writer]\n"
                + "volumes:\n"
                + "  data: {}\n"
                + "networks:\n"
                + "  back: {}\n"
                + "  front: {}\n");
        List<String> compose = List.of("docker-compose", "-p", "apitest", "--no-ansi");
        try {
            upThenDown(project, compose);
        } finally {
            compose(project, compose, "down", "-v", "-t", "1");
        }
    }

    private void upThenDown(Path project, List<String> compose) {
        Berth.Result up = compose(project, compose, "up", "-d");
        assertEquals(0, up.exitCode(), up.out() + up.err() + service.log());
        String ps = service.docker("ps", "--format", "{{.Names}} {{.Networks}}").ok().out();
        assertTrue(ps.contains("apitest_reader_1 apitest_back"), ps);
        // compose creates a container on one network and connects it to the others before the start
        assertTrue(ps.matches("(?s).*apitest_writer_1 (apitest_back,apitest_front|apitest_front,apitest_back)\\b.*"), ps);
        String eth1 = service.docker("exec", "apitest_writer_1", "ip", "-4", "-o", "addr", "show", "eth1").ok().out();
        assertTrue(eth1.contains("inet "), eth1);
        assertTrue(Berth.eventually(20000, () -> service.docker("logs", "apitest_reader_1").out().contains("from-writer")),
                "the reader sees the writer's file in the shared volume");
        assertTrue(service.docker("volume", "ls", "--format", "{{.Name}}").ok().out().contains("apitest_data"));
        Berth.Result down = compose(project, compose, "down", "-v", "-t", "1");
        assertEquals(0, down.exitCode(), down.out() + down.err());
        assertFalse(service.docker("ps", "-a", "--format", "{{.Names}}").ok().out().contains("apitest_"));
        String networks = service.docker("network", "ls", "--format", "{{.Name}}").ok().out();
        assertFalse(networks.contains("apitest_back") || networks.contains("apitest_front"), networks);
        assertFalse(service.docker("volume", "ls", "--format", "{{.Name}}").ok().out().contains("apitest_data"));
    }

    private Berth.Result compose(Path project, List<String> base, String... args) {
        List<String> cmd = new java.util.ArrayList<>(base);
        cmd.addAll(List.of(args));
        return service.client(180, Map.of(), cmd, project);
    }

    @Test
    void badRequestsGetClearErrorsAndTheServiceLivesOn() {
        Berth.Result malformed = service.curl("POST", "/v1.41/containers/create", "-H", "Content-Type: application/json", "-d", "{\"Image\":");
        assertEquals(400, malformed.exitCode(), malformed.out());
        assertTrue(malformed.out().contains("\"message\""), malformed.out());
        assertEquals(404, service.curl("GET", "/v1.41/no/such/endpoint").exitCode());
        Berth.Result missing = service.curl("GET", "/containers/no-such-container/json");
        assertEquals(404, missing.exitCode());
        assertTrue(missing.out().contains("no-such-container"), missing.out());
        Berth.Result big = service.curl("POST", "/containers/create", "-H", "Content-Type: application/json",
                "-H", "Content-Length: 104857600", "--data-binary", "{}");
        assertEquals(413, big.exitCode(), big.out());
        assertEquals(400, service.curl("POST", "/volumes/create", "-d", "{\"Name\":\"../x\"}").exitCode());
        assertEquals(400, service.curl("POST", "/containers/create", "-d", "{}").exitCode(), "no image");
        assertEquals(200, service.curl("GET", "/_ping").exitCode());
        assertTrue(service.alive());
    }

    @Test
    void timeEndsAnIdleServiceAndItsSocket() throws Exception {
        Path idle = dir.resolve("idle.sock");
        Process p = berth.start(dir.resolve("idle.log"), "system", "service", "--time", "3", "unix://" + idle);
        try {
            assertTrue(Berth.eventually(60000, () -> Files.exists(idle)), Berth.read(dir.resolve("idle.log")));
            assertTrue(service.client(30, Map.of("DOCKER_HOST", "unix://" + idle), List.of("docker", "version")).ok().out()
                    .contains("1.41"));
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "still running 30 s after its last request");
            assertEquals(0, p.exitValue());
            assertFalse(Files.exists(idle), "the socket went with it");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aServiceKilledWithSigkillLosesNoContainer() throws Exception {
        service.docker("create", "--name", "api-kept-1", "--network", "none", image, "true").ok();
        service.docker("run", "-d", "--name", "api-kept-2", "--network", "none", image, "sleep", "60").ok();
        // a request in flight when it dies: a wait that never ends on its own
        ProcessBuilder pb = new ProcessBuilder("docker", "wait", "api-kept-2").redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", service.host());
        Process waiting = pb.start();
        Thread.sleep(500);
        service.kill();
        waiting.destroyForcibly();
        service = new ApiService(berth, dir).start();
        String names = service.docker("ps", "-a", "--format", "{{.Names}} {{.State}}").ok().out();
        assertTrue(names.contains("api-kept-1 created"), names);
        assertTrue(names.contains("api-kept-2 running"), names);
        service.docker("rm", "-f", "api-kept-1", "api-kept-2").ok();
    }
}
