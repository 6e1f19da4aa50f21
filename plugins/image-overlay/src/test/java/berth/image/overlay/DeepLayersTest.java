package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.ImageInfo;
import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 layers: the absolute lowerdir list no longer fits mount(2)'s one page, and the store mounts
 * with the new mount API (one fsconfig lowerdir+ a layer); podman mounts the same container with its
 * own relative-path way.
 */
class DeepLayersTest {
    static final int LAYERS = 100;

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
    void aContainerOnAHundredLayersMounts() throws Exception {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of(Sys.BUSYBOX), rootfs.resolve("bin/busybox"));
        Path tar = dir.resolve("rootfs.tar");
        Sys.ok("tar", "-cf", tar.toString(), "-C", rootfs.toString(), ".");
        String finalCid = Ids.random();
        try (OverlayImageStore store = fx.open()) {
            ImageInfo image = store.importTarball(tar, "deep:0", null);
            for (int i = 1; i < LAYERS; i++) {
                String cid = Ids.random();
                var cs = store.createContainer(cid, "c" + i, image.id());
                // the container's upper dir, written directly (no mount needed to make a layer)
                Files.writeString(fx.root.resolve("overlay").resolve(cs.layerId()).resolve("diff/f" + i), "layer " + i);
                image = store.commit(cid, "deep:" + i, null, null, null);
                store.removeContainer(cid);
            }
            assertEquals(LAYERS, image.layers().size());
            var cs = store.createContainer(finalCid, "top", image.id());
            String lower = Files.readString(fx.root.resolve("overlay").resolve(cs.layerId()).resolve("lower"));
            assertEquals(LAYERS, lower.split(":").length);
            int absolute = LAYERS * (fx.root.resolve("overlay/l").toString().length() + 1 + ShortLinks.LENGTH + 1);
            assertTrue(absolute > LinuxMounts.pageSize(), "the test needs options longer than a page: " + absolute);

            Path root = store.mount(finalCid);
            assertTrue(Files.isRegularFile(root.resolve("bin/busybox")));
            for (int i = 1; i < LAYERS; i++) {
                assertEquals("layer " + i, Files.readString(root.resolve("f" + i)));
            }
            store.unmount(finalCid, false);
            assertTrue(!LinuxMounts.isMountPoint(root));
        }
        String podmanRoot = fx.podman.ok("mount", finalCid).trim();
        assertTrue(Files.isRegularFile(Path.of(podmanRoot, "f99")));
        fx.podman.ok("umount", finalCid);
    }
}
