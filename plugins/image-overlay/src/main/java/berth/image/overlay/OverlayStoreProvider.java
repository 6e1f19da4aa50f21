package berth.image.overlay;

import berth.kernel.spi.image.ImageStore;
import berth.kernel.spi.image.ImageStoreConfig;
import berth.kernel.spi.image.ImageStoreProvider;

/** Provider of the {@code overlay} image store: containers-storage's layout, shared with podman. */
public final class OverlayStoreProvider implements ImageStoreProvider {
    @Override
    public String id() {
        return "overlay";
    }

    @Override
    public String description() {
        return "containers-storage layout (podman's), overlayfs mounts, vfs copies as a fallback";
    }

    @Override
    public ImageStore open(ImageStoreConfig config) {
        return OverlayImageStore.open(config);
    }
}
