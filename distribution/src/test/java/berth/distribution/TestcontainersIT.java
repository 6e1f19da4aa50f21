package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers 2.0 against {@code berth system service}: a GenericContainer from the local
 * registry's busybox image with an exposed port, an HTTP wait strategy and execInContainer. It reads
 * {@code DOCKER_HOST} (and {@code TESTCONTAINERS_RYUK_DISABLED=true}) from the environment, which the
 * failsafe configuration sets; the service is started here on that socket.
 */
class TestcontainersIT {
    static LocalRegistry registry;
    static Path dir;
    static Berth berth;
    static ApiService service;
    static String image;

    @BeforeAll
    static void setUp() throws IOException {
        String host = System.getenv("DOCKER_HOST");
        if (host == null || !host.startsWith("unix://")) {
            throw new AssertionError("DOCKER_HOST must name the unix socket this test serves (the distribution's failsafe configuration sets it)");
        }
        assertEquals("true", System.getenv("TESTCONTAINERS_RYUK_DISABLED"), "Ryuk cannot run without a Docker daemon's socket");
        registry = new LocalRegistry();
        dir = Files.createTempDirectory("berth-testcontainers");
        Path layout = dir.resolve("layout");
        Path script = Berth.HOME.getParent().getParent().getParent().resolve("scripts/make-test-image.sh");
        ImageIT.exec(300, "bash", script.toString(), layout.toString(), "small", "0");
        image = registry.host() + "/test/busybox:1";
        ImageIT.exec(120, "skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":small", "docker://" + image);
        Path socket = Path.of(host.substring("unix://".length()));
        Files.createDirectories(socket.getParent());
        berth = new Berth(dir);
        service = new ApiService(berth, socket.getParent()).start();
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
    void genericContainerWithAnExposedPortAWaitStrategyAndExec() throws Exception {
        try (GenericContainer<?> web = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(8080)
                .withCommand("sh", "-c", "mkdir -p /w && echo hello-tc > /w/index.html && httpd -f -p 8080 -h /w")
                .waitingFor(Wait.forHttp("/").forStatusCode(200))) {
            web.start();
            int port = web.getMappedPort(8080);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + web.getHost() + ":" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hello-tc", r.body().strip());
            Container.ExecResult exec = web.execInContainer("sh", "-c", "cat /w/index.html; echo err >&2; exit 3");
            assertEquals("hello-tc", exec.getStdout().strip());
            assertEquals("err", exec.getStderr().strip());
            assertEquals(3, exec.getExitCode());
            assertTrue(berth.run("ps", "--format", "{{.ID}}").ok().out().contains(web.getContainerId().substring(0, 12)),
                    "the container is berth's");
        }
        assertEquals("", berth.run("ps", "-a", "-q").ok().line(), "stop and remove went through");
    }
}
