package berth.engine.internal;

import berth.engine.events.EventStatus;
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
        ImageRemoval done = store().remove(reference, force);
        imageRemoved(image.id(), done);
        return done;
    }

    /** untag for each name taken off, then remove for each image deleted, as podman's log has them. */
    private void imageRemoved(String id, ImageRemoval r) {
        for (String name : r.untagged()) {
            ctx.events().image(id, name, EventStatus.UNTAG);
        }
        for (String deleted : r.deleted()) {
            ctx.events().image(deleted, deleted, EventStatus.REMOVE);
        }
    }

    public ImageInfo tag(String reference, String newName) {
        ImageInfo tagged = store().tag(reference, newName);
        ctx.events().image(tagged.id(), newName, EventStatus.TAG);
        return tagged;
    }

    /** The untag event names the name as stored ({@code NAME:latest}), as podman's does. */
    public ImageInfo untag(String reference, String name) {
        List<String> before = find(reference).names();
        ImageInfo after = store().untag(reference, name);
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(after.names());
        for (String n : gone.isEmpty() ? List.of(name) : gone) {
            ctx.events().image(after.id(), n, EventStatus.UNTAG);
        }
        return after;
    }

    /** {@code image prune}: dangling images (every unused one with {@code all}) that no container uses. */
    public List<ImageRemoval> prune(boolean all) {
        List<ImageRemoval> removed = store().prune(all);
        for (ImageRemoval r : removed) {
            imageRemoved(r.deleted().isEmpty() ? "" : r.deleted().get(0), r);
        }
        return removed;
    }

    public ImageInfo pull(String reference, PullOptions options) {
        ImageInfo pulled = store().pull(reference, options);
        ctx.events().image("", reference, EventStatus.PULL);
        return pulled;
    }

    public void push(String reference, String destination, PushOptions options) {
        store().push(reference, destination, options);
        ctx.events().image(find(reference).id(), destination, EventStatus.PUSH);
    }

    public List<ImageInfo> load(Path archive, PullOptions options) {
        List<ImageInfo> loaded = store().load(archive, options);
        ctx.events().image("", archive.toString(), EventStatus.LOAD_FROM_ARCHIVE);
        return loaded;
    }

    public void save(List<String> references, Path destination, ArchiveFormat format) {
        for (String r : references) {
            find(r); // each unknown image named before anything is written
        }
        store().save(references, destination, format);
        for (String r : references) {
            ctx.events().image(find(r).id(), destination.toString(), EventStatus.SAVE);
        }
    }

    public ImageInfo importTarball(Path tarball, String name, ImageConfig config) {
        ImageInfo imported = store().importTarball(tarball, name, config);
        ctx.events().image(imported.id(), tarball.toString(), EventStatus.IMPORT);
        return imported;
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
        ImageInfo committed = store().commit(c.id(), name, cfg, author, comment);
        ctx.events().container(c, EventStatus.COMMIT);
        return committed;
    }
}
