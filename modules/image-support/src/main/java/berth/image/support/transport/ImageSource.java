package berth.image.support.transport;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Platform;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where an image is read from: a registry, a docker-archive or oci-archive tarball, or an OCI
 * layout directory. The caller verifies every blob's digest against its descriptor; sources only
 * deliver bytes.
 */
public interface ImageSource extends AutoCloseable {
    /** A name for messages ({@code docker://localhost:5000/a:1}, {@code docker-archive:/tmp/x.tar}). */
    String describe();

    /**
     * The image manifest for {@code platform}: a manifest list or OCI index is resolved to the entry
     * that matches, and an error names the platforms on offer when none does.
     */
    RawManifest manifest(Platform platform) throws IOException;

    /** The blob's bytes as stored (compressed layers stay compressed). */
    InputStream blob(Descriptor descriptor) throws IOException;

    /**
     * The blob's bytes from {@code offset} on, to resume a transfer that broke; sources that cannot
     * seek read from the start and skip.
     */
    default InputStream blob(Descriptor descriptor, long offset) throws IOException {
        InputStream in = blob(descriptor);
        in.skipNBytes(offset);
        return in;
    }

    @Override
    default void close() throws IOException {
    }
}
