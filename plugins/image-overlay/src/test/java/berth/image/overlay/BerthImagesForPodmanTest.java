package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.PullOptions;
import berth.testsupport.Sys;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images berth stores are podman's: podman lists and runs them, and the files are the ones podman writes. */
class BerthImagesForPodmanTest {
    @TempDir
    Path dir;
    StoreFixture fx;
    StoreFixture podmanOnly;
    Path archive;

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireTools();
        fx = new StoreFixture(dir.resolve("berth"));
        podmanOnly = new StoreFixture(dir.resolve("podman"));
        archive = TestImages.dockerArchive(dir, "localhost/t:1", "berth");
    }

    @AfterEach
    void cleanup() {
        if (fx != null) {
            fx.podman.cleanup();
            podmanOnly.podman.cleanup();
        }
    }

    @Test
    void loadedImageIsListedAndRunByPodman() throws Exception {
        ImageInfo loaded;
        try (OverlayImageStore store = fx.open()) {
            List<ImageInfo> images = store.load(archive, PullOptions.DEFAULT);
            assertEquals(1, images.size());
            loaded = images.get(0);
            assertEquals(List.of("localhost/t:1"), loaded.names());
            assertEquals(List.of("/bin/busybox", "sh"), loaded.config().cmd());
            assertEquals(loaded.id(), store.find("t:1").orElseThrow().id());
        }
        String listed = fx.podman.ok("images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}");
        assertTrue(listed.contains(loaded.id() + " localhost/t:1") || listed.contains("sha256:" + loaded.id() + " localhost/t:1"), listed);
        Sys.Result run = fx.podman.run("run", "--rm", "--net=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "localhost/t:1", "/bin/busybox", "cat", "/marker");
        assertEquals(0, run.rc(), run.out());
        assertTrue(run.out().contains("berth"), run.out());
    }

    @Test
    void recordsAndTarSplitMatchWhatPodmanWritesForTheSameArchive() throws Exception {
        try (OverlayImageStore store = fx.open()) {
            store.load(archive, PullOptions.DEFAULT);
        }
        podmanOnly.podman.ok("load", "-q", "-i", archive.toString());

        JsonObject mine = only(fx.root.resolve("overlay-layers/layers.json"));
        JsonObject theirs = only(podmanOnly.root.resolve("overlay-layers/layers.json"));
        for (String key : List.of("id", "parent", "compressed-diff-digest", "compressed-size", "diff-digest", "diff-size",
                "compression", "uidset", "gidset", "names", "flags")) {
            assertEquals(theirs.raw(key), mine.raw(key), "layers.json field " + key);
        }
        String layerId = mine.str("id");
        assertEquals(new String(gunzip(podmanOnly.root.resolve("overlay-layers/" + layerId + ".tar-split.gz"))).replace("}", "}\n"),
                new String(gunzip(fx.root.resolve("overlay-layers/" + layerId + ".tar-split.gz"))).replace("}", "}\n"), "tar-split");

        JsonObject img = only(fx.root.resolve("overlay-images/images.json"));
        JsonObject pimg = only(podmanOnly.root.resolve("overlay-images/images.json"));
        for (String key : List.of("id", "digest", "names", "layer", "metadata", "big-data-sizes", "big-data-digests", "created")) {
            assertEquals(pimg.raw(key), img.raw(key), "images.json field " + key);
        }
        assertTrue(img.strings("big-data-names").containsAll(List.of("sha256:" + img.str("id"), "manifest")));
        for (String f : List.of("manifest", BigData.fileName("sha256:" + img.str("id")), BigData.fileName("manifest-" + img.str("digest")))) {
            Path a = fx.root.resolve("overlay-images").resolve(img.str("id")).resolve(f);
            Path b = podmanOnly.root.resolve("overlay-images").resolve(img.str("id")).resolve(f);
            assertTrue(Files.exists(b), "podman has " + b);
            assertEquals(Files.readString(b), Files.readString(a), f);
        }
        // the driver's files: link, the l/ symlink, an empty/ dir for a base layer, diff contents
        Path layer = fx.root.resolve("overlay").resolve(layerId);
        String link = Files.readString(layer.resolve("link"));
        assertEquals(26, link.length());
        assertEquals(Path.of("../" + layerId + "/diff"), Files.readSymbolicLink(fx.root.resolve("overlay/l").resolve(link)));
        assertTrue(Files.isDirectory(layer.resolve("empty")));
        assertFalse(Files.exists(layer.resolve("lower")));
        assertEquals(Sys.ok("sh", "-c", "cd " + podmanOnly.root.resolve("overlay").resolve(layerId).resolve("diff")
                        + " && find . -printf '%p %m %U %G %s\\n' | sort"),
                Sys.ok("sh", "-c", "cd " + layer.resolve("diff") + " && find . -printf '%p %m %U %G %s\\n' | sort"));
    }

    @Test
    void loadingTwiceKeepsOneImageAndOneLayer() throws Exception {
        try (OverlayImageStore store = fx.open()) {
            String id = store.load(archive, PullOptions.DEFAULT).get(0).id();
            Path other = TestImages.sameImageAs(archive, "localhost/again:2");
            ImageInfo again = store.load(other, PullOptions.DEFAULT).get(0);
            assertEquals(id, again.id());
            assertEquals(List.of("localhost/t:1", "localhost/again:2"), again.names());
            assertEquals(1, store.list().size());
            assertEquals(1, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
        }
    }

    private static JsonObject only(Path file) {
        List<JsonObject> all = RecordFile.read(file);
        assertEquals(1, all.size(), file + ": " + all);
        return all.get(0);
    }

    private static byte[] gunzip(Path p) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static String json(Object o) {
        return Json.write(o);
    }
}
