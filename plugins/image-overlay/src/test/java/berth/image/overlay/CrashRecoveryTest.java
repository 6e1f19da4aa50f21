package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.JsonObject;
import berth.testsupport.LocalRegistry;
import berth.testsupport.Sys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull SIGKILLed at each crash point (a child JVM) leaves litter the next open of the store
 * removes under the lock; then the same pull succeeds and podman reads the store.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;
    LocalRegistry registry;
    StoreFixture fx;
    String image;

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireTools();
        Sys.requireTools(LocalRegistry.BINARY);
        registry = new LocalRegistry();
        fx = new StoreFixture(dir.resolve("store"));
        Path layout = TestImages.ociLayout(dir, "t", "crash");
        image = registry.host() + "/t:1";
        Sys.ok(TestImages.SKOPEO, "copy", "--quiet", "--dest-tls-verify=false", "--dest-compress", "oci:" + layout + ":t", "docker://" + image);
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.podman.cleanup();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** Runs PullMain in a child JVM with the crash point armed; returns its exit code. */
    private int pullInChild(String crashAt) throws Exception {
        Process p = ChildJvm.start(PullMain.class, java.util.Map.of("BERTH_CRASH_AT", crashAt),
                fx.root.toString(), fx.runRoot.toString(), image);
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        if (crashAt.isEmpty()) {
            assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        }
        return p.exitValue();
    }

    @Test
    void killedAfterFetchingLeavesTempFilesTheNextOpenRemoves() throws Exception {
        killedPullIsCleanedByTheNextOpenAndThenSucceeds("pull:after-fetch");
    }

    @Test
    void killedWhileALayerIsIncompleteLeavesARecordTheNextOpenRemoves() throws Exception {
        killedPullIsCleanedByTheNextOpenAndThenSucceeds("pull:layer-extracted");
    }

    @Test
    void killedBeforeTheImageRecordLeavesALayerTheNextOpenRemoves() throws Exception {
        killedPullIsCleanedByTheNextOpenAndThenSucceeds("pull:before-image-record");
    }

    private void killedPullIsCleanedByTheNextOpenAndThenSucceeds(String point) throws Exception {
        assertTrue(CrashPoints.POINTS.contains(point));
        assertEquals(137, pullInChild(point), "the child died by SIGKILL at " + point);
        boolean leftTemp = hasFiles(fx.root.resolve("tmp/berth-pull"));
        List<JsonObject> layersAfterCrash = RecordFile.read(fx.root.resolve("overlay-layers/layers.json"));
        if (point.equals("pull:after-fetch")) {
            assertTrue(leftTemp, "the fetched blob is left in the temp dir");
        } else {
            assertEquals(1, layersAfterCrash.size());
            assertTrue(new LayerRecord(layersAfterCrash.get(0)).incomplete(), "the layer is flagged incomplete");
        }
        try (OverlayImageStore store = fx.open()) {
            assertTrue(store.list().isEmpty());
        }
        assertEquals(List.of(), RecordFile.read(fx.root.resolve("overlay-layers/layers.json")));
        assertFalse(hasFiles(fx.root.resolve("tmp/berth-pull")), "temp files removed");
        try (Stream<Path> s = Files.list(fx.root.resolve("overlay"))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("l")).toList(),
                    "no layer directory is left");
        }
        assertFalse(hasFiles(fx.root.resolve("overlay/l")), "no short link is left");
        if (!point.equals("pull:after-fetch")) {
            assertTrue(fx.warnings.stream().anyMatch(w -> w.contains("incomplete layer")), fx.warnings.toString());
        }
        pullInChild("");
        assertTrue(fx.podman.ok("images", "--format", "{{.Repository}}:{{.Tag}}").contains(image));
    }

    @Test
    void anIncompleteLayerPodmanLeftIsCleanedToo() throws Exception {
        pullInChild("");
        // what c/storage leaves when killed: the record flagged incomplete, files half there
        List<JsonObject> layers = RecordFile.read(fx.root.resolve("overlay-layers/layers.json"));
        new LayerRecord(layers.get(0)).setIncomplete(true);
        RecordFile.write(fx.root.resolve("overlay-layers/layers.json"), layers);
        try (OverlayImageStore store = fx.open()) {
            assertEquals(List.of(), RecordFile.read(fx.root.resolve("overlay-layers/layers.json")));
            assertTrue(fx.warnings.stream().anyMatch(w -> w.contains(layers.get(0).str("id"))));
        }
    }

    private static boolean hasFiles(Path d) throws Exception {
        if (!Files.isDirectory(d)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.anyMatch(p -> !p.equals(d));
        }
    }
}
