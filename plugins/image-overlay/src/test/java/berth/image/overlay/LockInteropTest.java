package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.PullOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth's lock files are podman's: podman waits while berth holds one, and berth's writes rewrite the last-writer token. */
class LockInteropTest {
    @TempDir
    Path dir;
    StoreFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireTools();
        fx = new StoreFixture(dir.resolve("s"));
        try (OverlayImageStore store = fx.open()) {
            store.load(TestImages.dockerArchive(dir, "localhost/t:1", "lock"), PullOptions.DEFAULT);
        }
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.podman.cleanup();
        }
    }

    @Test
    void podmanWaitsForBerthsLock() throws Exception {
        Process podman;
        try (LockFile held = LockFile.lock(fx.root.resolve("overlay-images/images.lock"))) {
            podman = new ProcessBuilder(TestImages.PODMAN, "--root", fx.root.toString(), "--runroot", fx.runRoot.toString(),
                    "--storage-driver", "overlay", "images", "-q").redirectErrorStream(true).start();
            assertFalse(podman.waitFor(3, TimeUnit.SECONDS), "podman must wait for images.lock");
        }
        assertTrue(podman.waitFor(60, TimeUnit.SECONDS));
        String out = new String(podman.getInputStream().readAllBytes());
        assertEquals(0, podman.exitValue(), out);
        assertFalse(out.isBlank(), "podman lists the image once the lock is free");
    }

    @Test
    void aWriteRewritesTheLastWriterToken() throws Exception {
        Path lock = fx.root.resolve("overlay-images/images.lock");
        byte[] before = Files.readAllBytes(lock);
        assertEquals(64, before.length, "c/storage's last-writer id is 64 bytes");
        try (OverlayImageStore store = fx.open()) {
            store.tag("t:1", "other");
        }
        byte[] after = Files.readAllBytes(lock);
        assertEquals(64, after.length);
        assertFalse(java.util.Arrays.equals(before, after), "podman processes see the change and reload");
        // podman in turn writes its own token, and berth reads the store it changed
        fx.podman.ok("tag", "localhost/t:1", "localhost/third:3");
        try (OverlayImageStore store = fx.open()) {
            assertTrue(store.find("third:3").isPresent());
        }
    }
}
