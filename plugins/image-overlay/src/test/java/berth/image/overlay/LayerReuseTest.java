package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Digests;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.PullListener;
import berth.kernel.model.PullOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer the store holds under another parent is not fetched again: it is rebuilt from its
 * tar-split and files (c/image's reuse by diff id), and the new layer is whole.
 */
class LayerReuseTest {
    @TempDir
    Path dir;
    StoreFixture fx;

    @BeforeEach
    void setUp() {
        TestImages.requireTools();
        fx = new StoreFixture(dir.resolve("s"));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.podman.cleanup();
        }
    }

    @Test
    void aKnownLayerOnANewParentIsRebuiltNotFetched() throws Exception {
        Path layout = dir.resolve("layout");
        ImageInfo base;
        try (OverlayImageStore store = fx.open()) {
            base = store.load(TestImages.dockerArchive(dir, "localhost/base:1", "reuse"), PullOptions.DEFAULT).get(0);
            store.save(List.of("base:1"), layout, ArchiveFormat.OCI_DIR);
        }
        String diffId = base.layers().get(0);
        // an image whose two layers are the same blob: the second sits on the first, a parent it never had
        byte[] config = blob(layout, Files.readString(configPath(layout)).replace("[\"" + diffId + "\"]",
                "[\"" + diffId + "\",\"" + diffId + "\"]").getBytes());
        long layerSize = Files.size(layout.resolve("blobs/sha256").resolve(diffId.substring(7)));
        Map<String, Object> layer = descriptor("application/vnd.oci.image.layer.v1.tar", diffId, layerSize);
        JsonObject manifest = new JsonObject().put("schemaVersion", 2L).put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("config", descriptor("application/vnd.oci.image.config.v1+json", Digests.of(config), config.length))
                .put("layers", new ArrayList<>(List.of(layer, layer)));
        byte[] manifestBytes = blob(layout, Json.writeBytes(manifest.asMap()));
        Map<String, Object> entry = descriptor("application/vnd.oci.image.manifest.v1+json", Digests.of(manifestBytes), manifestBytes.length);
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", "double"));
        JsonObject index = new JsonObject().put("schemaVersion", 2L).put("manifests", new ArrayList<>(List.of(entry)));
        Files.write(layout.resolve("index.json"), Json.writeBytes(index.asMap()));
        // the blob is gone from the layout: a fetch would fail, only a rebuild can succeed
        Files.delete(layout.resolve("blobs/sha256").resolve(diffId.substring(7)));

        List<String> fetched = Collections.synchronizedList(new ArrayList<>());
        PullListener l = new PullListener() {
            @Override
            public void blobStarted(String digest, long size) {
                fetched.add(digest);
            }
        };
        String cid = Ids.random();
        try (OverlayImageStore store = fx.open()) {
            ImageInfo doubled = store.pull("oci:" + layout + ":double", PullOptions.DEFAULT.withListener(l));
            assertEquals(List.of(diffId, diffId), doubled.layers());
            assertEquals(List.of(), fetched.stream().filter(d -> d.equals(diffId)).toList(), "the layer was not fetched");
            assertEquals(2, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
            store.createContainer(cid, "c", doubled.id());
            Path root = store.mount(cid);
            assertEquals("reuse\n", Files.readString(root.resolve("marker")));
            assertTrue(Files.isRegularFile(root.resolve("bin/busybox")));
            store.unmount(cid, true);
        }
    }

    private static Path configPath(Path layout) throws Exception {
        JsonObject index = Json.parseObject(Files.readAllBytes(layout.resolve("index.json")));
        String m = index.objects("manifests").get(0).str("digest").substring(7);
        JsonObject manifest = Json.parseObject(Files.readAllBytes(layout.resolve("blobs/sha256").resolve(m)));
        return layout.resolve("blobs/sha256").resolve(manifest.obj("config").str("digest").substring(7));
    }

    private static byte[] blob(Path layout, byte[] bytes) throws Exception {
        Files.write(layout.resolve("blobs/sha256").resolve(Digests.of(bytes).substring(7)), bytes);
        return bytes;
    }

    private static Map<String, Object> descriptor(String type, String digest, long size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", type);
        m.put("digest", digest);
        m.put("size", size);
        return m;
    }
}
