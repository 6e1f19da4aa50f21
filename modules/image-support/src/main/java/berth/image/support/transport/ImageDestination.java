package berth.image.support.transport;

import berth.image.support.manifest.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where an image is written: a registry (push), a docker-archive or oci-archive tarball, or an OCI
 * layout directory (save). Blobs come first, then the config, then the manifest, which commits.
 */
public interface ImageDestination extends AutoCloseable {
    String describe();

    /** True when the destination holds this blob already (a push skips it). */
    boolean hasBlob(Descriptor descriptor) throws IOException;

    /** Writes a blob; {@code content} yields exactly {@code descriptor.size()} bytes of that digest. */
    void putBlob(Descriptor descriptor, InputStream content) throws IOException;

    /**
     * Writes the manifest under {@code tag} (a docker-archive's RepoTags entry, an OCI layout's
     * ref.name, a registry tag); null for no tag. Called once per image, after its blobs.
     */
    void putManifest(RawManifest manifest, String tag) throws IOException;

    /** Finishes the destination (writes a tarball's index and closes it). */
    void commit() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
