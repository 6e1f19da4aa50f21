package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.spi.image.ArchiveFormat;
import berth.kernel.spi.image.ImageStoreConfig;
import berth.kernel.spi.image.PullOptions;
import berth.kernel.spi.image.PushOptions;
import java.nio.file.Path;
import java.util.List;

/** Pull, load, save, push, import and commit (interim: the layer helpers have not landed yet). */
final class Transfers {
    Transfers(ImageStoreConfig config, StoreLayout layout, Layers layers) {
    }

    private static BerthException pending() {
        return new BerthException(ErrorCode.INTERNAL, "not wired yet");
    }

    ImageInfo pull(String reference, PullOptions options) {
        throw pending();
    }

    List<ImageInfo> load(Path archive, PullOptions options) {
        throw pending();
    }

    void save(List<String> references, Path destination, ArchiveFormat format) {
        throw pending();
    }

    void push(String reference, String destination, PushOptions options) {
        throw pending();
    }

    ImageInfo importTarball(Path tarball, String name, ImageConfig config) {
        throw pending();
    }

    ImageInfo commit(String containerId, String name, ImageConfig config, String author, String comment) {
        throw pending();
    }
}
