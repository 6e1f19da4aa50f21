package berth.image.support.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParsingTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String entry(String digest, String arch, String variant) {
        return "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":100,\"platform\":{\"os\":\"linux\","
                + "\"architecture\":\"" + arch + "\"" + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    private static final String LIST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
            + entry(A, "amd64", null) + "," + entry(B, "arm", "v7") + "," + entry(C, "arm64", "v8") + "]}";

    @Test
    void indexSelectsByPlatform() throws IOException {
        ImageIndex idx = ImageIndex.parse(b(LIST), null);
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, idx.mediaType());
        assertEquals(3, idx.manifests().size());
        assertEquals(A, idx.select(new Platform("linux", "amd64", "")).digest());
        assertEquals(B, idx.select(new Platform("linux", "arm", "v7")).digest());
        assertEquals(B, idx.select(new Platform("linux", "arm", "")).digest(), "no variant asked: the first of the architecture");
        assertEquals(C, idx.select(new Platform("linux", "arm64", "")).digest());
        assertEquals(C, idx.select(new Platform("linux", "arm64", "v8")).digest());
        assertEquals(new Platform("linux", "arm", "v7"), idx.manifests().get(1).platform());
        IOException e = assertThrows(IOException.class, () -> idx.select(new Platform("linux", "arm", "v6")));
        assertEquals("no image found in manifest list for architecture arm, variant v6, OS linux "
                + "(the list offers linux/amd64, linux/arm/v7, linux/arm64/v8)", e.getMessage());
        assertThrows(IOException.class, () -> idx.select(new Platform("windows", "amd64", "")));
    }

    @Test
    void ociIndexWithoutMediaTypeIsRecognised() throws IOException {
        String doc = "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + A + "\",\"size\":3}]}";
        assertEquals(MediaTypes.OCI_INDEX, ImageManifest.detectMediaType(b(doc), null));
        assertEquals(MediaTypes.OCI_INDEX, ImageIndex.parse(b(doc), "application/json").mediaType());
        assertThrows(IOException.class, () -> ImageManifest.parse(b(doc), null), "an index is not a manifest");
        IOException none = assertThrows(IOException.class, () -> ImageIndex.parse(b(doc), null).select(Platform.host()));
        assertTrue(none.getMessage().contains("offers no platforms"), none.getMessage());
    }

    @Test
    void manifestConfigAndLayers() throws IOException {
        String doc = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + A + "\",\"size\":10},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + B + "\",\"size\":20},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_ZSTD + "\",\"digest\":\"" + C + "\",\"size\":30,\"annotations\":{\"k\":\"v\"}}],"
                + "\"annotations\":{\"org.opencontainers.image.created\":\"2024\"}}";
        ImageManifest m = ImageManifest.parse(b(doc), MediaTypes.OCI_MANIFEST + "; charset=utf-8");
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals(new Descriptor(MediaTypes.OCI_CONFIG, A, 10), m.config());
        assertEquals(2, m.layers().size());
        assertEquals(30, m.layers().get(1).size());
        assertEquals("v", m.layers().get(1).annotations().get("k"));
        assertEquals("2024", m.annotations().get("org.opencontainers.image.created"));
        assertEquals(MediaTypes.DOCKER_MANIFEST, ImageManifest.parse(b(doc.replace("{\"schemaVersion\":2,",
                "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",")), null).mediaType());
    }

    @Test
    void rejectsBrokenManifests() {
        assertThrows(IOException.class, () -> ImageManifest.parse(b("{\"schemaVersion\":1,\"fsLayers\":[]}"), null));
        assertThrows(IOException.class, () -> ImageManifest.parse(b("{\"schemaVersion\":2,\"layers\":[]}"), null), "no config");
        assertThrows(IOException.class, () -> ImageManifest.parse(b("{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:xyz\"}}"), null));
        assertThrows(IOException.class, () -> ImageManifest.parse(b("not json"), null));
        assertThrows(IOException.class, () -> ImageIndex.parse(b("{\"schemaVersion\":2,\"config\":{}}"), MediaTypes.OCI_MANIFEST));
    }

    @Test
    void digests() throws IOException {
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digests.of(new byte[0]));
        assertTrue(Digests.isValid(A));
        assertTrue(!Digests.isValid("sha256:" + "A".repeat(64)));
        assertTrue(!Digests.isValid("sha512:" + "a".repeat(64)));
        assertEquals("a".repeat(64), Digests.hex(A));
        IOException e = assertThrows(IOException.class, () -> Digests.validate("sha256:short"));
        assertTrue(e.getMessage().contains("sha256:short"));
    }
}
