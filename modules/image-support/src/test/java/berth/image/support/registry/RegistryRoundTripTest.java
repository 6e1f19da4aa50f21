package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.transport.BlobFetch;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.JsonObject;
import berth.kernel.model.PullListener;
import berth.support.FileTrees;
import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull and push against a real docker-registry, checked with skopeo. */
class RegistryRoundTripTest {
    static final Platform AMD64 = new Platform("linux", "amd64", "");
    static LocalRegistry registry;
    static Path work;
    static Path layout;
    static String manifestDigest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushTestImage() throws IOException {
        registry = new LocalRegistry();
        work = Files.createTempDirectory("berth-regtest-");
        layout = TestImages.busyboxLayout(work);
        manifestDigest = TestImages.indexEntry(layout, "t").str("digest");
        TestImages.skopeoCopy("oci:" + layout + ":t", "docker://" + registry.host() + "/test/busybox:1");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (work != null) {
            FileTrees.delete(work); // the pushed image's layout, left in /tmp before
        }
    }

    static RegistrySource source(String ref) throws IOException {
        ImageReference r = ImageReference.parse(ref);
        return new RegistrySource(new RegistryClient(r.registry(), RegistryOptions.DEFAULT), r);
    }

    @Test
    void pullsManifestAndBlobsWithDigestsVerified() throws IOException {
        RegistrySource src = source(registry.host() + "/test/busybox:1");
        assertEquals("docker://" + registry.host() + "/test/busybox:1", src.describe());
        RawManifest raw = src.manifest(AMD64);
        assertEquals(manifestDigest, raw.digest(), "the registry serves the bytes skopeo pushed");
        assertEquals(MediaTypes.OCI_MANIFEST, raw.mediaType());
        ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
        assertEquals(1, m.layers().size());
        List<Descriptor> blobs = new ArrayList<>(m.layers());
        blobs.add(0, m.config());
        Map<String, Long> progress = new ConcurrentHashMap<>();
        List<String> done = new ArrayList<>();
        PullListener listener = new PullListener() {
            @Override
            public void blobProgress(String digest, long bytes) {
                progress.put(digest, bytes);
            }

            @Override
            public void blobDone(String digest, boolean skipped) {
                done.add(digest);
            }
        };
        for (Descriptor d : blobs) {
            Path f = BlobFetch.fetch(src, d, tmp, listener, 1);
            assertArrayEquals(TestImages.blob(layout, d.digest()), Files.readAllBytes(f), d.digest());
            assertEquals(d.size(), progress.get(d.digest()));
        }
        assertEquals(blobs.stream().map(Descriptor::digest).toList(), done);
        assertTrue(m.layers().get(0).size() > 500_000, "the layer holds busybox");
    }

    @Test
    void pullsByDigestAndChecksIt() throws IOException {
        RawManifest raw = source(registry.host() + "/test/busybox@" + manifestDigest).manifest(AMD64);
        assertEquals(manifestDigest, raw.digest());
        // a tag resolved to bytes whose digest is not the one asked for is refused
        RegistrySource src = source(registry.host() + "/test/busybox:1");
        String other = "sha256:" + "0".repeat(64);
        IOException e = assertThrows(IOException.class, () -> src.fetchManifest("1", other));
        assertTrue(e.getMessage().contains(other) && e.getMessage().contains(manifestDigest), e.getMessage());
    }

    @Test
    void pushesUnderAnotherNameAndSkopeoSeesIt() throws IOException {
        RegistrySource src = source(registry.host() + "/test/busybox:1");
        RawManifest raw = src.manifest(AMD64);
        ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
        ImageReference target = ImageReference.parse(registry.host() + "/test/other:2");
        RegistryDestination dest = new RegistryDestination(new RegistryClient(target.registry(), RegistryOptions.DEFAULT), target);
        List<Descriptor> blobs = new ArrayList<>(m.layers());
        blobs.add(m.config());
        for (Descriptor d : blobs) {
            assertFalse(dest.hasBlob(d), "a new repository links no blob yet: " + d.digest());
            try (InputStream in = src.blob(d)) {
                dest.putBlob(d, in);
            }
            assertTrue(dest.hasBlob(d));
        }
        dest.putManifest(raw, "2");
        dest.commit();
        JsonObject inspect = TestImages.skopeoInspect("docker://" + target);
        assertEquals(raw.digest(), inspect.str("Digest"));
        assertEquals("amd64", inspect.str("Architecture"));
        assertEquals(m.layers().get(0).digest(), inspect.strings("Layers").get(0));
        // and by digest, without a tag
        ImageReference third = ImageReference.parse(registry.host() + "/test/third:x");
        RegistryDestination byDigest = new RegistryDestination(new RegistryClient(third.registry(), RegistryOptions.DEFAULT), third);
        for (Descriptor d : blobs) {
            try (InputStream in = src.blob(d)) {
                byDigest.putBlob(d, in);
            }
        }
        byDigest.putManifest(raw, null);
        assertEquals(raw.digest(), TestImages.skopeoInspect("docker://" + registry.host() + "/test/third@" + raw.digest(), "--no-tags").str("Digest"));
    }

    @Test
    void headDigestTagsAndMount() throws IOException {
        RegistrySource src = source(registry.host() + "/test/busybox:1");
        assertEquals(manifestDigest, src.manifestDigest());
        TestImages.skopeoCopy("docker://" + registry.host() + "/test/busybox:1", "docker://" + registry.host() + "/test/busybox:extra");
        List<String> tags = new ArrayList<>(src.tags());
        tags.sort(null);
        assertEquals(List.of("1", "extra"), tags);
        assertEquals("/v2/x/tags/list?n=2&last=b", RegistrySource.nextPage("</v2/x/tags/list?n=2&last=b>; rel=\"next\""));

        RawManifest raw = src.manifest(AMD64);
        ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
        ImageReference target = ImageReference.parse(registry.host() + "/mounted/app:1");
        RegistryDestination dest = new RegistryDestination(new RegistryClient(target.registry(), RegistryOptions.DEFAULT), target);
        for (Descriptor d : m.layers()) {
            assertTrue(dest.mount(d, "test/busybox"), "the registry links the layer it holds");
            assertTrue(dest.hasBlob(d));
        }
        Descriptor absent = new Descriptor(MediaTypes.OCI_LAYER_GZIP, "sha256:" + "2".repeat(64), 5);
        assertFalse(dest.mount(absent, "test/busybox"));
    }

    @Test
    void aMissingTagOrRepositoryIsNotFound() throws IOException {
        RegistryException tag = assertThrows(RegistryException.class, () -> source(registry.host() + "/test/busybox:nope").manifest(AMD64));
        assertTrue(tag.isNotFound(), tag.getMessage());
        assertEquals("reading manifest nope in " + registry.host() + "/test/busybox: manifest unknown", tag.getMessage());
        RegistryException repo = assertThrows(RegistryException.class, () -> source(registry.host() + "/no/such:1").manifest(AMD64));
        assertTrue(repo.isNotFound(), repo.getMessage());
        RegistrySource src = source(registry.host() + "/test/busybox:1");
        Descriptor missing = new Descriptor(MediaTypes.OCI_LAYER_GZIP, "sha256:" + "1".repeat(64), 10);
        RegistryException blob = assertThrows(RegistryException.class, () -> src.blob(missing));
        assertTrue(blob.isNotFound() && blob.getMessage().contains(missing.digest()), blob.getMessage());
    }

    @Test
    void aRegistryThatIsDownNamesTheHost() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        String host = "127.0.0.1:" + port;
        IOException e = assertThrows(IOException.class, () -> source(host + "/a/b:1").manifest(AMD64));
        assertTrue(e.getMessage().startsWith("pinging container registry " + host + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertTrue(e.getMessage().contains("http://" + host + "/v2/"), "loopback falls back to plain HTTP: " + e.getMessage());
    }

    @Test
    void aRemoteRegistryDoesNotFallBackToPlainHttpUnlessInsecure() throws IOException {
        // 127.0.0.2 is loopback too, but the rule for plain HTTP is by name: use a name that is not loopback-looking
        RegistryClient strict = new RegistryClient("localhost.invalid:1", RegistryOptions.DEFAULT);
        assertFalse(strict.httpAllowed());
        assertTrue(new RegistryClient("localhost.invalid:1", new RegistryOptions(false, null, null, false)).httpAllowed());
        assertTrue(new RegistryClient("localhost.invalid:1", new RegistryOptions(null, null, null, true)).httpAllowed());
        assertFalse(new RegistryClient("localhost.invalid:1", new RegistryOptions(true, null, null, true)).httpAllowed(),
                "--tls-verify=true wins over registries.conf");
        assertTrue(new RegistryClient("localhost:5000", RegistryOptions.DEFAULT).httpAllowed());
        assertTrue(new RegistryClient("[::1]:5000", RegistryOptions.DEFAULT).httpAllowed());
    }

    @Test
    void plainHttpIsAskedFirstOnlyAtALoopbackPort() throws IOException {
        assertTrue(new RegistryClient("127.0.0.1:5000", RegistryOptions.DEFAULT).loopbackWithPort());
        assertTrue(new RegistryClient("localhost:5000", RegistryOptions.DEFAULT).loopbackWithPort());
        assertTrue(new RegistryClient("[::1]:5000", RegistryOptions.DEFAULT).loopbackWithPort());
        assertFalse(new RegistryClient("localhost", RegistryOptions.DEFAULT).loopbackWithPort(), "ports 443 and 80 may be two servers");
        assertFalse(new RegistryClient("[::1]", RegistryOptions.DEFAULT).loopbackWithPort());
        assertFalse(new RegistryClient("localhost.invalid:5000", new RegistryOptions(false, null, null, false)).loopbackWithPort());
        assertFalse(new RegistryClient("127.0.0.1:5000", new RegistryOptions(true, null, null, false)).loopbackWithPort(),
                "--tls-verify=true asks for TLS first");
        assertEquals("http", new RegistryClient(registry.host(), RegistryOptions.DEFAULT).base().getScheme());
        assertEquals("http", new RegistryClient(registry.host(), new RegistryOptions(true, null, null, false)).base().getScheme(),
                "a plain registry on loopback is still reached after HTTPS fails");
    }

    @Test
    void uploadLocations() {
        URI uploads = URI.create("http://r:5000/v2/a/blobs/uploads/");
        String d = "sha256:" + "a".repeat(64);
        assertEquals("http://r:5000/v2/a/blobs/uploads/u1?digest=sha256%3A" + "a".repeat(64),
                RegistryDestination.withDigest(uploads, "/v2/a/blobs/uploads/u1", d));
        assertEquals("https://other:443/up/u2?_state=xyz&digest=sha256%3A" + "a".repeat(64),
                RegistryDestination.withDigest(uploads, "https://other:443/up/u2?_state=xyz", d));
        assertEquals("http://r:5000/v2/a/blobs/uploads/u3?digest=sha256%3A" + "a".repeat(64),
                RegistryDestination.withDigest(uploads, "u3", d));
    }
}
