package berth.kernel.spi.image;

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
 * An image store (containers/image plus containers/storage in podman): the images on this host, the
 * transports that bring them in and out, and the per-container root filesystems made from them.
 *
 * <p>Errors are {@link berth.kernel.error.BerthException}s that name the image and the cause:
 * {@code IMAGE_NOT_FOUND}, {@code IMAGE_IN_USE}, {@code IMAGE_TRANSPORT} (a registry refused, was
 * down, or sent a blob whose digest did not match), {@code IMAGE_INVALID} (a corrupt or hostile
 * archive). A failed operation leaves nothing half-written in the store.
 *
 * <p>Image references are strings as a user types them: {@code alpine}, {@code localhost:5000/a/b:1},
 * {@code name@sha256:...}, an id or a unique id prefix, or a transport-prefixed source
 * ({@code docker://}, {@code docker-archive:PATH}, {@code oci-archive:PATH}, {@code oci:DIR[:REF]}).
 * Short names are resolved through the registries configuration.
 *
 * <p>Implementations are safe to use from several processes at once: they lock as podman does.
 */
public interface ImageStore extends AutoCloseable {
    /** The store's driver name as {@code info} shows it ({@code overlay}, {@code vfs}). */
    String driver();

    /** Every image, newest first. */
    List<ImageInfo> list();

    /** Finds a local image by name (a short name matches as podman matches it), digest reference, id or unique id prefix. */
    Optional<ImageInfo> find(String reference);

    /** Pulls an image (from a registry or a transport-prefixed source) into the store; returns it. */
    ImageInfo pull(String reference, PullOptions options);

    /** Loads every image of a docker-archive or oci-archive tarball (the format is detected). */
    List<ImageInfo> load(Path archive, PullOptions options);

    /**
     * Writes images to {@code destination}: a tarball for {@link ArchiveFormat#DOCKER_ARCHIVE} and
     * {@link ArchiveFormat#OCI_ARCHIVE}, a directory for {@link ArchiveFormat#OCI_DIR}.
     */
    void save(List<String> references, Path destination, ArchiveFormat format);

    /** Pushes a local image to {@code destination} (a registry reference; the image's own name when null). */
    void push(String reference, String destination, PushOptions options);

    /** Adds a name to an image; the name moves from any image that had it. */
    ImageInfo tag(String reference, String newName);

    /** Removes one name from an image (every name when {@code name} is null). */
    ImageInfo untag(String reference, String name);

    /**
     * Removes an image. Refused with {@code IMAGE_IN_USE} while a container's storage uses it (the
     * engine removes those containers first for {@code rmi -f}). An image with several names, given
     * by one name, loses only that name unless {@code force}.
     */
    ImageRemoval remove(String reference, boolean force);

    /** Removes dangling images (no name), or every image no container uses when {@code all}. */
    List<ImageRemoval> prune(boolean all);

    /** Makes a single-layer image from a root filesystem tarball ({@code import}). */
    ImageInfo importTarball(Path tarball, String name, ImageConfig config);

    /** Makes an image from a container's changes on top of its image ({@code commit}). */
    ImageInfo commit(String containerId, String name, ImageConfig config, String author, String comment);

    /** Creates a container's writable layer on top of an image (not mounted yet). */
    ContainerStorage createContainer(String containerId, String containerName, String imageId);

    /**
     * As above; {@code volatileLayer} (podman's for {@code run --rm}): the layer need not survive a
     * crash, so a store may mount it without syncing (overlayfs {@code volatile}). Stores without
     * such a mode ignore it.
     */
    default ContainerStorage createContainer(String containerId, String containerName, String imageId, boolean volatileLayer) {
        return createContainer(containerId, containerName, imageId);
    }

    /**
     * The storage podman gives a container made from a directory ({@code --rootfs}): an empty layer and a
     * record with no image (libpod's setupStorage does this for every container). A store shared with podman
     * needs it, or podman's {@code inspect}, {@code exec} and {@code rm} refuse the container as not known.
     */
    default ContainerStorage createRootfsContainer(String containerId, String containerName) {
        throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INVALID_ARGUMENT,
                "this image store keeps no storage for --rootfs containers");
    }

    /** The container storage of a container, when it has one. */
    Optional<ContainerStorage> container(String containerId);

    /** Every container storage in the store (for prune, reset and recovery). */
    List<ContainerStorage> containers();

    /** Mounts a container's root filesystem (counted: each mount needs an unmount) and returns its path. */
    Path mount(String containerId);

    /** Unmounts a container's root filesystem; {@code force} drops every count. Unmounted already is no error. */
    void unmount(String containerId, boolean force);

    /** Removes a container's storage (unmounting it first). Missing already is no error. */
    void removeContainer(String containerId);

    /**
     * Unmounts every container root filesystem and whatever else the store mounted (a driver's own
     * bind mounts), as podman's store shutdown does: {@code system reset} calls it before the files go.
     */
    default void shutdown() {
    }

    @Override
    default void close() {
    }
}
