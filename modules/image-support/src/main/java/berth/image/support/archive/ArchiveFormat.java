package berth.image.support.archive;

/** The image tarball formats {@code load} accepts. */
public enum ArchiveFormat {
    /** {@code docker save}'s format: manifest.json at the root. */
    DOCKER_ARCHIVE,
    /** A tarred OCI image layout: oci-layout and index.json at the root. */
    OCI_ARCHIVE
}
