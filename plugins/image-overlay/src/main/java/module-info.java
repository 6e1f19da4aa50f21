/**
 * The image store podman uses: containers-storage's overlay layout under the graph root (layers,
 * images and containers JSON, tar-split, short links, lock files), layers mounted with overlayfs
 * through mount(2), and a plain-copy fallback for kernels without overlay. Provides
 * {@link berth.kernel.spi.image.ImageStoreProvider} with the id {@code overlay}; exports nothing.
 */
module berth.image.overlay {
    requires berth.kernel;
    requires berth.support;
    requires berth.image.support;
    requires com.sun.jna;

    provides berth.kernel.spi.image.ImageStoreProvider with berth.image.overlay.OverlayStoreProvider;
}
