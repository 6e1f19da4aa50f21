package berth.engine;

import berth.engine.internal.ImageAdmin;
import berth.kernel.model.Container;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.ImageRemoval;
import berth.kernel.model.PullOptions;
import berth.kernel.model.PushOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The engine's image API ({@code berth pull}, {@code images}, {@code rmi}, ...): the configured image
 * store behind the engine's rules. Obtained from {@link Engine#images()}; the store opens on first use.
 */
public final class Images {
    private final ImageAdmin admin;

    Images(ImageAdmin admin) {
        this.admin = admin;
    }

    /** The store's driver ({@code overlay}, {@code vfs}), for {@code info}. */
    public String driver() {
        return admin.store().driver();
    }

    public List<ImageInfo> list() {
        return admin.store().list();
    }

    public Optional<ImageInfo> find(String reference) {
        return admin.store().find(reference);
    }

    /** A local image, or IMAGE_NOT_FOUND ({@code NAME: image not known}). */
    public ImageInfo get(String reference) {
        return admin.find(reference);
    }

    public ImageInfo pull(String reference, PullOptions options) {
        return admin.pull(reference, options);
    }

    public void push(String reference, String destination, PushOptions options) {
        admin.push(reference, destination, options);
    }

    public ImageInfo tag(String reference, String newName) {
        return admin.tag(reference, newName);
    }

    public ImageInfo untag(String reference, String name) {
        return admin.untag(reference, name);
    }

    public ImageRemoval remove(String reference, boolean force) {
        return admin.remove(reference, force);
    }

    public List<ImageRemoval> prune(boolean all) {
        return admin.prune(all);
    }

    public List<ImageInfo> load(Path archive, PullOptions options) {
        return admin.load(archive, options);
    }

    public void save(List<String> references, Path destination, ArchiveFormat format) {
        admin.save(references, destination, format);
    }

    public ImageInfo importTarball(Path tarball, String name, ImageConfig config) {
        return admin.importTarball(tarball, name, config);
    }

    public ImageInfo commit(String container, String name, ImageConfig config, String author, String comment) {
        return admin.commit(container, name, config, author, comment);
    }

    /** The containers made from an image. */
    public List<Container> users(String imageId) {
        return admin.users(imageId);
    }
}
