package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.ImageRemoval;
import berth.kernel.spi.image.ImageStore;
import berth.kernel.model.PullOptions;
import berth.kernel.model.PushOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image commands (pull, images, rmi, tag, save, load, import, commit, ...): the image store's
 * operations plus what only the engine knows, which containers use an image.
 */
public final class ImageAdmin {
    private final EngineContext ctx;
    private final ContainerLookup lookup;
    private final Removal removal;

    public ImageAdmin(EngineContext ctx, ContainerLookup lookup, Removal removal) {
        this.ctx = ctx;
        this.lookup = lookup;
        this.removal = removal;
    }

    public ImageStore store() {
        return ctx.plugins().images();
    }

    /** A local image by name, id or id prefix, or IMAGE_NOT_FOUND with podman's wording. */
    public ImageInfo find(String reference) {
        return store().find(reference).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND, reference + ": image not known"));
    }

    /** The containers made from {@code imageId}. */
    public List<Container> users(String imageId) {
        List<Container> out = new ArrayList<>();
        for (Container c : ctx.state().allContainers()) {
            if (imageId.equals(c.config().imageId())) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * {@code rmi}: refused while a container uses the image, unless {@code force}, which removes those
     * containers first (as podman's {@code rmi -f} does).
     */
    public ImageRemoval remove(String reference, boolean force) {
        ImageInfo image = find(reference);
        List<Container> users = users(image.id());
        if (!users.isEmpty() && !force && (image.names().size() <= 1 || !image.names().contains(reference))) {
            throw new BerthException(ErrorCode.IMAGE_IN_USE, "image used by " + users.get(0).id()
                    + ": image is in use by a container: consider listing external containers and force-removing image");
        }
        if (force && (image.names().size() <= 1 || !image.names().contains(reference))) {
            for (Container c : users) {
                removal.remove(lookup.find(c.id()), true, null);
            }
        }
        return store().remove(reference, force);
    }

    /** {@code image prune}: dangling images (every unused one with {@code all}) that no container uses. */
    public List<ImageRemoval> prune(boolean all) {
        return store().prune(all);
    }

    public ImageInfo pull(String reference, PullOptions options) {
        return store().pull(reference, options);
    }

    public void push(String reference, String destination, PushOptions options) {
        store().push(reference, destination, options);
    }

    public List<ImageInfo> load(Path archive, PullOptions options) {
        return store().load(archive, options);
    }

    public void save(List<String> references, Path destination, ArchiveFormat format) {
        for (String r : references) {
            find(r); // each unknown image named before anything is written
        }
        store().save(references, destination, format);
    }

    public ImageInfo importTarball(Path tarball, String name, ImageConfig config) {
        return store().importTarball(tarball, name, config);
    }

    /** {@code commit}: the container's changes as a new image (its own config unless {@code config} overrides). */
    public ImageInfo commit(String container, String name, ImageConfig config, String author, String comment) {
        Container c = lookup.find(container);
        if (!c.config().fromImage()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " runs a --rootfs directory, not an image:"
                    + " only a container made from an image can be committed");
        }
        ImageConfig cfg = config != null ? config : new ImageConfig(c.config().user(), c.config().env(), List.of(), c.config().command(),
                c.config().workingDir(), "", List.of(), List.of(), c.config().labels());
        return store().commit(c.id(), name, cfg, author, comment);
    }
}
