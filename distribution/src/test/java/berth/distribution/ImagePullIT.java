package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull and push through Debian's docker-registry on 127.0.0.1: the README's promise that
 * {@code berth pull} then {@code berth run --rm IMAGE} works, short names through registries.conf,
 * concurrent pulls, a pull killed midway, and the errors of a registry that refuses or is down.
 */
class ImagePullIT {
    static LocalRegistry registry;
    static Path images;

    @TempDir
    Path dir;
    Berth berth;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = new LocalRegistry();
        images = Files.createTempDirectory("berth-pull-images");
        Path script = Berth.HOME.getParent().getParent().getParent().resolve("scripts/make-test-image.sh");
        ImageIT.exec(300, "bash", script.toString(), images.resolve("layout").toString(), "small", "0");
        ImageIT.exec(300, "bash", script.toString(), images.resolve("layout").toString(), "big", "60", "3");
        ImageIT.exec(120, "skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + images.resolve("layout") + ":small",
                "docker://" + registry.host() + "/test/small:1");
        ImageIT.exec(300, "skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + images.resolve("layout") + ":big",
                "docker://" + registry.host() + "/test/big:1");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
        ImageIT.exec(60, "rm", "-rf", images.toString());
    }

    @BeforeEach
    void setUp() {
        berth = new Berth(dir);
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
        berth.run("system", "reset", "-f");
    }

    String small() {
        return registry.host() + "/test/small:1";
    }

    @Test
    void pullThenRunAndASecondPullReusesTheLayers() {
        Berth.Result p = berth.run("pull", "--tls-verify=false", small()).ok();
        assertTrue(p.line().matches("[0-9a-f]{64}"), p.out());
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", small(), "sh", "-c", "echo ok").ok().line());
        Berth.Result again = berth.run("pull", "--tls-verify=false", small()).ok();
        assertEquals(p.line(), again.line());
        assertTrue(again.err().contains("skipped") || again.err().contains("already exists"), again.err());
    }

    @Test
    void runPullsAMissingImageAndShortNamesResolveThroughRegistriesConf() throws IOException {
        Path conf = dir.resolve("registries.conf");
        Files.writeString(conf, "unqualified-search-registries = [\"" + registry.host() + "\"]\n"
                + "[[registry]]\nlocation = \"" + registry.host() + "\"\ninsecure = true\n");
        berth.env("CONTAINERS_REGISTRIES_CONF", conf.toString());
        assertEquals("short", berth.run("run", "--rm", "--network", "none", "test/small:1", "echo", "short").ok().line());
        String names = berth.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().out();
        assertTrue(names.contains(registry.host() + "/test/small:1"), names);
    }

    @Test
    void pushThenSkopeoSeesIt() {
        berth.run("pull", "-q", "--tls-verify=false", small()).ok();
        String dest = registry.host() + "/pushed/by-berth:2";
        berth.run("tag", small(), dest).ok();
        berth.run("push", "-q", "--tls-verify=false", dest).ok();
        String inspect = ImageIT.exec(60, "skopeo", "inspect", "--tls-verify=false", "docker://" + dest);
        assertTrue(inspect.contains("org.berth.test"), inspect);
    }

    @Test
    void twoPullsAtOnceBothSucceedAndTheStoreHoldsTheImageOnce() throws Exception {
        String big = registry.host() + "/test/big:1";
        List<String> cmd = berth.command("pull", "-q", "--tls-verify=false", big);
        Process a = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Process b = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outA = new String(a.getInputStream().readAllBytes());
        String outB = new String(b.getInputStream().readAllBytes());
        assertTrue(a.waitFor(300, TimeUnit.SECONDS) && b.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        assertEquals(outA.strip(), outB.strip(), "the same image id");
        assertEquals(1, berth.run("images", "-q").ok().out().strip().lines().count());
        assertEquals(4, layerRecords(), "four layers, once each");
    }

    long layerRecords() throws IOException {
        try (Stream<Path> s = Files.list(berth.root().resolve("overlay"))) {
            return s.filter(p -> !p.getFileName().toString().equals("l")).count();
        }
    }

    @Test
    void aPullKilledMidwayLeavesAStoreTheNextCommandCleansAndUses() throws Exception {
        String big = registry.host() + "/test/big:1";
        Process p = new ProcessBuilder(berth.command("pull", "-q", "--tls-verify=false", big)).redirectErrorStream(true).start();
        Thread.sleep(1500);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // the next command sees a consistent store: no half image listed
        String listed = berth.run("images", "-q").ok().out().strip();
        assertTrue(listed.isEmpty() || listed.lines().count() == 1, listed);
        berth.run("pull", "-q", "--tls-verify=false", big).ok();
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", big, "echo", "ok").ok().line());
        assertEquals(4, layerRecords());
    }

    @Test
    void registryErrorsNameTheImageAndTheCause() {
        Berth.Result missing = berth.run("pull", "--tls-verify=false", registry.host() + "/test/small:nosuchtag");
        assertEquals(125, missing.exitCode());
        assertTrue(missing.err().contains("test/small:nosuchtag"), missing.err());
        Berth.Result down = berth.run("pull", "--tls-verify=false", "127.0.0.1:1/test/small:1");
        assertEquals(125, down.exitCode());
        assertTrue(down.err().contains("127.0.0.1:1"), down.err());
        assertFalse(berth.run("images", "-q").ok().out().strip().length() > 0, "nothing half-written");
    }
}
