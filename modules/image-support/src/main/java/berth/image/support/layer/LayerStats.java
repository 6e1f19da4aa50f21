package berth.image.support.layer;

/**
 * What reading a layer blob measured.
 *
 * @param diffId {@code sha256:<hex>} of the uncompressed tar (the image config's rootfs.diff_ids entry)
 * @param uncompressedSize bytes of the uncompressed tar
 * @param compressedDigest {@code sha256:<hex>} of the blob as read (the manifest's layer digest)
 * @param compressedSize bytes of the blob as read
 */
public record LayerStats(String diffId, long uncompressedSize, String compressedDigest, long compressedSize) {
}
