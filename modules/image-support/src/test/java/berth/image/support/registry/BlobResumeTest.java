package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.transport.BlobFetch;
import berth.image.support.transport.BlobStream;
import berth.image.support.transport.RawManifest;
import berth.kernel.model.PullListener;
import berth.support.FileTrees;
import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and corrupted blob transfers, through a proxy in front of the real registry. */
class BlobResumeTest {
    static LocalRegistry registry;
    static Path tempDir;
    static Path layout;
    static Descriptor layer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushTestImage() throws IOException {
        registry = new LocalRegistry();
        tempDir = Files.createTempDirectory("berth-resume-");
        layout = TestImages.busyboxLayout(tempDir);
        TestImages.skopeoCopy("oci:" + layout + ":t", "docker://" + registry.host() + "/test/busybox:1");
        byte[] manifest = TestImages.blob(layout, TestImages.indexEntry(layout, "t").str("digest"));
        layer = ImageManifest.parse(manifest, null).layers().get(0);
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

    private static RegistrySource through(RegistryProxy proxy) throws IOException {
        ImageReference ref = ImageReference.parse(proxy.host() + "/test/busybox:1");
        return new RegistrySource(new RegistryClient(ref.registry(), RegistryOptions.DEFAULT), ref);
    }

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.count();
        }
    }

    @Test
    void aCutTransferResumesWithARangeRequest() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.blobFault = RegistryProxy.BlobFault.CUT_FIRST_TRANSFER;
            Path f = BlobFetch.fetch(through(proxy), layer, tmp, PullListener.NONE, 3);
            assertArrayEquals(TestImages.blob(layout, layer.digest()), Files.readAllBytes(f));
            assertEquals(1, proxy.cuts.get());
            // the proxy sent half the blob before the cut; a reset connection may lose some of
            // those bytes on the way, so the resume starts at most there, but never at 0
            String prefix = "GET /v2/test/busybox/blobs/" + layer.digest() + " Range:bytes=";
            boolean resumed = proxy.requests.stream().filter(r -> r.startsWith(prefix) && r.endsWith("-"))
                    .mapToLong(r -> Long.parseLong(r.substring(prefix.length(), r.length() - 1)))
                    .anyMatch(from -> from > 0 && from <= layer.size() / 2);
            assertTrue(resumed, "expected a Range request from a point in the first half in " + proxy.requests);
        }
    }

    @Test
    void aServerThatIgnoresRangeIsSkippedForward() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.blobFault = RegistryProxy.BlobFault.CUT_AND_IGNORE_RANGE;
            Path f = BlobFetch.fetch(through(proxy), layer, tmp, PullListener.NONE, 2);
            assertArrayEquals(TestImages.blob(layout, layer.digest()), Files.readAllBytes(f));
            assertEquals(1, proxy.cuts.get());
        }
    }

    @Test
    void oneAttemptIsNotEnoughForACut() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.blobFault = RegistryProxy.BlobFault.CUT_FIRST_TRANSFER;
            IOException e = assertThrows(IOException.class, () -> BlobFetch.fetch(through(proxy), layer, tmp, PullListener.NONE, 1));
            assertTrue(e.getMessage().contains(layer.digest()) && e.getMessage().contains("after 1 attempt"), e.getMessage());
            assertEquals(0, files(), "the partial file is removed");
        }
    }

    @Test
    void aDigestMismatchNamesTheDigestAndLeavesNoFile() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.blobFault = RegistryProxy.BlobFault.FLIP_A_BYTE;
            IOException e = assertThrows(IOException.class, () -> BlobFetch.fetch(through(proxy), layer, tmp, PullListener.NONE, 3));
            assertTrue(e.getMessage().startsWith("blob " + layer.digest() + ": digest mismatch"), e.getMessage());
            assertEquals(0, files());
        }
    }

    @Test
    void aSizeMismatchIsCaught() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            Descriptor lies = new Descriptor(layer.mediaType(), layer.digest(), layer.size() - 10);
            IOException e = assertThrows(IOException.class, () -> BlobFetch.fetch(through(proxy), lies, tmp, PullListener.NONE, 3));
            assertTrue(e.getMessage().contains(layer.digest()) && e.getMessage().contains("more bytes than the expected"), e.getMessage());
            Descriptor longer = new Descriptor(layer.mediaType(), layer.digest(), layer.size() + 10);
            IOException e2 = assertThrows(IOException.class, () -> BlobFetch.fetch(through(proxy), longer, tmp, PullListener.NONE, 1));
            assertTrue(e2.getMessage().contains("size mismatch"), e2.getMessage());
            assertEquals(0, files());
        }
    }

    @Test
    void aStreamedBlobResumesACutTransferUnseenByItsReader() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.blobFault = RegistryProxy.BlobFault.CUT_FIRST_TRANSFER;
            byte[] got;
            try (BlobStream in = BlobStream.open(through(proxy), layer, PullListener.NONE, 3)) {
                got = in.readAllBytes();
                assertEquals(layer.size(), in.count());
            }
            assertArrayEquals(TestImages.blob(layout, layer.digest()), got);
            assertEquals(1, proxy.cuts.get());
            // resumed from what reached the reader (the client may drop what it buffered when the connection broke)
            String prefix = "GET /v2/test/busybox/blobs/" + layer.digest() + " Range:bytes=";
            long from = proxy.requests.stream().filter(r -> r.startsWith(prefix))
                    .mapToLong(r -> Long.parseLong(r.substring(prefix.length(), r.length() - 1))).findFirst().orElse(-1);
            assertTrue(from > 0 && from <= layer.size() / 2, "a Range request from the break in " + proxy.requests);
        }
    }

    @Test
    void aStreamedBlobFailsWhenAttemptsRunOutOrItIsTooLong() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.blobFault = RegistryProxy.BlobFault.CUT_FIRST_TRANSFER;
            IOException e = assertThrows(IOException.class, () -> {
                try (BlobStream in = BlobStream.open(through(proxy), layer, PullListener.NONE, 1)) {
                    in.readAllBytes();
                }
            });
            assertTrue(e.getMessage().contains(layer.digest()) && e.getMessage().contains("after 1 attempt"), e.getMessage());
        }
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            Descriptor lies = new Descriptor(layer.mediaType(), layer.digest(), layer.size() - 10);
            IOException e = assertThrows(IOException.class, () -> {
                try (BlobStream in = BlobStream.open(through(proxy), lies, PullListener.NONE, 3)) {
                    in.readAllBytes();
                }
            });
            assertTrue(e.getMessage().contains("more bytes than the expected"), e.getMessage());
        }
    }

    @Test
    void verifiesAFileOnDisk() throws IOException {
        Path f = layout.resolve("blobs/sha256").resolve(layer.digest().substring(7));
        BlobFetch.verify(layer, f);
        Descriptor wrong = new Descriptor(layer.mediaType(), "sha256:" + "f".repeat(64), layer.size());
        IOException e = assertThrows(IOException.class, () -> BlobFetch.verify(wrong, f));
        assertTrue(e.getMessage().contains(wrong.digest()), e.getMessage());
    }

    @Test
    void theManifestAlsoPassesThroughTheProxy() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            RawManifest m = through(proxy).manifest(new Platform("linux", "amd64", ""));
            assertEquals(TestImages.indexEntry(layout, "t").str("digest"), m.digest());
        }
    }
}
