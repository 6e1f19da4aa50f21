package berth.kernel.spi.image;

/**
 * A container's writable layer in an image store (a containers.json record).
 *
 * @param containerId the container's id (the same id as the engine's record, as podman does)
 * @param name the container's name
 * @param imageId the image it is made from
 * @param layerId its own writable layer
 * @param rootfs where {@link ImageStore#mount} puts its root filesystem (known before the mount, so a
 *        bundle can name it early)
 */
public record ContainerStorage(String containerId, String name, String imageId, String layerId, java.nio.file.Path rootfs) {
}
