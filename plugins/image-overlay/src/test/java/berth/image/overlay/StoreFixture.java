package berth.image.overlay;

import berth.kernel.spi.image.ImageStoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A store on temp roots (not /tmp's own tmpfs quirks: the roots are under the test's temp dir). */
final class StoreFixture {
    final Path root;
    final Path runRoot;
    final List<String> warnings = new ArrayList<>();
    final TestImages.Podman podman;

    StoreFixture(Path dir) {
        this.root = dir.resolve("root");
        this.runRoot = dir.resolve("run");
        this.podman = new TestImages.Podman(root, runRoot);
    }

    ImageStoreConfig config(String driver) {
        return new ImageStoreConfig(root, runRoot, List.of(), driver == null ? Map.of() : Map.of("driver", driver), warnings::add);
    }

    OverlayImageStore open() {
        return OverlayImageStore.open(config("overlay"));
    }

    OverlayImageStore open(String driver) {
        return OverlayImageStore.open(config(driver));
    }
}
