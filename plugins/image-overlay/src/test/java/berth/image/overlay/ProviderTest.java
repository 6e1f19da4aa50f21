package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.image.ImageStore;
import berth.kernel.spi.image.ImageStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin is found by its id through the kernel's registry (as production finds it), opens cheaply, and makes podman's directories and lock files. */
class ProviderTest {
    @TempDir
    Path dir;

    @Test
    void serviceLoaderFindsOverlayAndOpenMakesTheLayout() throws Exception {
        ImageStoreProvider provider = PluginRegistry.boot(w -> { }).select(ImageStoreProvider.class, "overlay");
        StoreFixture fx = new StoreFixture(dir);
        try (ImageStore store = provider.open(fx.config(null))) {
            assertEquals("overlay", store.driver(), "overlay is in /proc/filesystems here");
            assertTrue(store.list().isEmpty());
        }
        for (String f : new String[] {"storage.lock", "overlay-layers/layers.lock", "overlay-images/images.lock",
                "overlay-containers/containers.lock"}) {
            assertTrue(Files.isRegularFile(fx.root.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(fx.runRoot.resolve("overlay-layers/mountpoints.lock")));
        BerthException bad = assertThrows(BerthException.class, () -> OverlayImageStore.open(fx.config("btrfs")));
        assertEquals(ErrorCode.CONFIG_INVALID, bad.code());
    }
}
