package berth.kernel.spi.image;

import berth.kernel.plugin.PluginProvider;

/**
 * Provides an image store: where images live, how they are pulled, and how a container's root
 * filesystem is made from one ({@code overlay}, the containers-storage layout podman uses; a
 * researcher's own).
 */
public interface ImageStoreProvider extends PluginProvider {
    /** Opens (creating if needed) the store described by the configuration. Cheap: no image is read yet. */
    ImageStore open(ImageStoreConfig config);
}
