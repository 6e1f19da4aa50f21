package berth.image.support.archive;

import static berth.image.support.archive.ArchiveFixtures.copy;
import static berth.image.support.archive.ArchiveFixtures.readVerified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.FileTrees;
import berth.testsupport.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OCI image layout directories: umoci's and skopeo's read, ours read by skopeo. */
class OciLayoutTest {
    private static Path work;
    private static Path layout;

    @BeforeAll
    static void build() throws IOException {
        work = Files.createTempDirectory("berth-oci-layout-");
        layout = ArchiveFixtures.buildLayout(work);
    }

    @AfterAll
    static void clean() {
        FileTrees.delete(work);
    }

    @Test
    void readsUmocisLayoutByRefNameAndIndex() throws IOException {
        for (String ref : new String[] {"t", "t2", "@0", "@1"}) {
            try (OciLayoutSource src = new OciLayoutSource(layout, ref)) {
                RawManifest raw = src.manifest(Platform.host());
                assertEquals(MediaTypes.OCI_MANIFEST, raw.mediaType());
                assertEquals(src.entry().digest(), raw.digest());
                ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
                assertEquals(2, m.layers().size());
                for (Descriptor d : m.layers()) {
                    assertEquals(MediaTypes.OCI_LAYER_GZIP, d.mediaType());
                    readVerified(src, d);
                }
                readVerified(src, m.config());
            }
        }
        IOException two = assertThrows(IOException.class, () -> new OciLayoutSource(layout, null));
        assertTrue(two.getMessage().contains("more than one image") && two.getMessage().contains("t2"), two.getMessage());
        IOException none = assertThrows(IOException.class, () -> new OciLayoutSource(layout, "nope"));
        assertTrue(none.getMessage().contains("\"nope\"") && none.getMessage().contains(layout.toString()), none.getMessage());
        IOException notLayout = assertThrows(IOException.class, () -> new OciLayoutSource(work, "t"));
        assertTrue(notLayout.getMessage().contains("oci-layout"), notLayout.getMessage());
    }

    @Test
    void writesALayoutSkopeoReadsAndReplacesASameNamedEntry() throws IOException {
        Path dir = work.resolve("ours");
        try (OciLayoutSource t = new OciLayoutSource(layout, "t"); OciLayoutDestination dst = new OciLayoutDestination(dir)) {
            copy(t, dst, "a");
            copy(t, dst, "b");
            dst.commit();
        }
        String inspect = Sys.ok(ArchiveFixtures.SKOPEO, "inspect", "oci:" + dir + ":a");
        assertTrue(inspect.contains("\"Architecture\": \"" + Platform.host().architecture() + "\""), inspect);
        String digestT;
        String digestT2;
        try (OciLayoutSource t = new OciLayoutSource(layout, "t"); OciLayoutSource t2 = new OciLayoutSource(layout, "t2")) {
            digestT = t.entry().digest();
            digestT2 = t2.entry().digest();
        }
        // a second writer re-tags "a" to t2: the old entry goes, "b" stays
        try (OciLayoutSource t2 = new OciLayoutSource(layout, "t2"); OciLayoutDestination dst = new OciLayoutDestination(dir)) {
            copy(t2, dst, "a");
            dst.commit();
        }
        JsonObject index = Json.parseObject(Files.readAllBytes(dir.resolve("index.json")));
        Map<String, String> byName = new LinkedHashMap<>();
        for (JsonObject e : index.objects("manifests")) {
            byName.put(e.stringMap("annotations").get(OciLayoutSource.REF_NAME), e.str("digest"));
            assertEquals(Platform.host().architecture(), e.obj("platform").str("architecture"));
        }
        assertEquals(Map.of("b", digestT, "a", digestT2), byName);
        assertTrue(Sys.ok(ArchiveFixtures.SKOPEO, "inspect", "oci:" + dir + ":a").contains("berth.test"));
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> leftovers = s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
            assertEquals(List.of(), leftovers, "no temp files left");
        }
        // skopeo writes into our layout and we read its entry back
        Sys.ok(ArchiveFixtures.SKOPEO, "copy", "-q", "oci:" + layout + ":t", "oci:" + dir + ":from-skopeo");
        try (OciLayoutSource src = new OciLayoutSource(dir, "from-skopeo")) {
            ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
            for (Descriptor d : m.layers()) {
                readVerified(src, d);
            }
        }
    }

    @Test
    void aBlobWithTheWrongDigestIsRefusedAndLeavesNothing() throws IOException {
        Path dir = work.resolve("refuse");
        try (OciLayoutDestination dst = new OciLayoutDestination(dir)) {
            Descriptor claimed = new Descriptor(MediaTypes.OCI_LAYER, Digests.of("other".getBytes()), 5);
            IOException e = assertThrows(IOException.class, () -> dst.putBlob(claimed, new java.io.ByteArrayInputStream("bytes".getBytes())));
            assertTrue(e.getMessage().contains(claimed.digest()), e.getMessage());
        }
        try (Stream<Path> s = Files.list(dir.resolve("blobs/sha256"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aNestedIndexIsResolvedForThePlatform() throws IOException {
        Path dir = work.resolve("nested");
        try (OciLayoutSource t = new OciLayoutSource(layout, "t"); OciLayoutDestination dst = new OciLayoutDestination(dir)) {
            copy(t, dst, null);
            Descriptor manifest = t.entry();
            Platform host = Platform.host();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("mediaType", MediaTypes.OCI_MANIFEST);
            entry.put("digest", manifest.digest());
            entry.put("size", manifest.size());
            entry.put("platform", Map.of("os", host.os(), "architecture", host.architecture()));
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("schemaVersion", 2L);
            inner.put("mediaType", MediaTypes.OCI_INDEX);
            inner.put("manifests", List.of(entry));
            byte[] bytes = Json.writeBytes(inner);
            dst.putManifest(new RawManifest(bytes, MediaTypes.OCI_INDEX, Digests.of(bytes)), "multi");
            dst.commit();
        }
        try (OciLayoutSource src = new OciLayoutSource(dir, "multi"); OciLayoutSource t = new OciLayoutSource(layout, "t")) {
            assertEquals(MediaTypes.OCI_INDEX, src.entry().mediaType());
            RawManifest raw = src.manifest(Platform.host());
            assertEquals(t.entry().digest(), raw.digest());
            IOException e = assertThrows(IOException.class, () -> src.manifest(new Platform("linux", "s390x", "")));
            assertTrue(e.getMessage().contains("s390x") && e.getMessage().contains(Platform.host().toString()), e.getMessage());
        }
    }

    @Test
    void aMissingOrDamagedBlobIsAnErrorNamingIt() throws IOException {
        Path dir = work.resolve("damaged");
        Sys.ok("cp", "-a", layout.toString(), dir.toString());
        List<Descriptor> layers;
        try (OciLayoutSource src = new OciLayoutSource(dir, "t")) {
            layers = new ArrayList<>(ImageManifest.parse(src.manifest(Platform.host()).bytes(), null).layers());
        }
        Path first = dir.resolve(OciLayoutSource.blobPath(layers.get(0).digest()));
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length / 2] ^= 1;
        Files.write(first, bytes);
        Files.delete(dir.resolve(OciLayoutSource.blobPath(layers.get(1).digest())));
        try (OciLayoutSource src = new OciLayoutSource(dir, "t")) {
            IOException bad = assertThrows(IOException.class, () -> readVerified(src, layers.get(0)));
            assertTrue(bad.getMessage().contains("digest mismatch") && bad.getMessage().contains(dir.toString()), bad.getMessage());
            IOException missing = assertThrows(IOException.class, () -> src.blob(layers.get(1)));
            assertTrue(missing.getMessage().contains("missing") && missing.getMessage().contains(layers.get(1).digest()), missing.getMessage());
        }
    }
}
