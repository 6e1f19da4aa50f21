package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.reference.RegistriesConf;
import berth.image.support.transport.BlobFetch;
import berth.image.support.transport.RawManifest;
import berth.kernel.model.PullListener;
import berth.support.FileTrees;
import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registries.conf mirrors and prefix rewriting against real registries. */
class MirroredSourceTest {
    static final Platform AMD64 = new Platform("linux", "amd64", "");
    static LocalRegistry registry;
    static Path tempDir;
    static String manifestDigest;
    static int downPort;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushTestImage() throws IOException {
        registry = new LocalRegistry();
        tempDir = Files.createTempDirectory("berth-mirror-");
        Path layout = TestImages.busyboxLayout(tempDir);
        manifestDigest = TestImages.indexEntry(layout, "t").str("digest");
        TestImages.skopeoCopy("oci:" + layout + ":t", "docker://" + registry.host() + "/internal/busybox:1");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            downPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tempDir != null) {
            FileTrees.delete(tempDir); // the pushed image's layout, left in /tmp before
        }
    }

    @Test
    void aDeadMirrorFallsBackToTheRewrittenLocation() throws IOException {
        RegistriesConf conf = RegistriesConf.parse("""
                [[registry]]
                prefix = "example.test/lib"
                location = "%s/internal"
                [[registry.mirror]]
                location = "127.0.0.1:%d/internal"
                """.formatted(registry.host(), downPort), "mirrors.conf");
        MirroredSource src = MirroredSource.of(ImageReference.parse("example.test/lib/busybox:1"), conf, null, null, null);
        RawManifest m = src.manifest(AMD64);
        assertEquals(manifestDigest, m.digest());
        assertEquals(registry.host() + "/internal/busybox:1", src.active().reference().toString());
        Path f = BlobFetch.fetch(src, ImageManifest.parse(m.bytes(), m.mediaType()).layers().get(0), tmp, PullListener.NONE, 1);
        assertTrue(Files.size(f) > 500_000);
    }

    @Test
    void aWorkingMirrorIsUsedFirst() throws IOException {
        try (RegistryProxy mirror = new RegistryProxy(registry.host())) {
            RegistriesConf conf = RegistriesConf.parse("""
                    [[registry]]
                    location = "127.0.0.1:%d"
                    [[registry.mirror]]
                    location = "%s"
                    """.formatted(downPort, mirror.host()), "mirrors.conf");
            MirroredSource src = MirroredSource.of(ImageReference.parse("127.0.0.1:" + downPort + "/internal/busybox:1"), conf, null, null, null);
            assertEquals(manifestDigest, src.manifest(AMD64).digest());
            assertEquals(mirror.host(), src.active().reference().registry());
            assertTrue(mirror.requests.contains("GET /v2/internal/busybox/manifests/1"), mirror.requests.toString());
        }
    }

    @Test
    void everyFailureIsNamed() throws IOException {
        RegistriesConf conf = RegistriesConf.parse("""
                [[registry]]
                location = "%s"
                [[registry.mirror]]
                location = "127.0.0.1:%d"
                """.formatted(registry.host(), downPort), "mirrors.conf");
        MirroredSource src = MirroredSource.of(ImageReference.parse(registry.host() + "/internal/busybox:nope"), conf, null, null, null);
        RegistryException e = assertThrows(RegistryException.class, () -> src.manifest(AMD64));
        assertTrue(e.isNotFound(), "the primary's answer decides: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("(Mirrors also failed: [127.0.0.1:" + downPort + "/internal/busybox:nope: pinging container registry"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(registry.host() + "/internal/busybox:nope: reading manifest nope in " + registry.host()
                + "/internal/busybox: manifest unknown"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> MirroredSource.of(ImageReference.parse(registry.host() + "/x:1"), conf, null, null, null)
                .blob(ImageManifest.parse(("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + manifestDigest + "\",\"size\":1},\"layers\":[]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), null).config()));
    }
}
