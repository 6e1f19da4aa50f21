package berth.image.support.archive;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * An image of an oci-archive (a tarball of an OCI image layout), read in place through an index of
 * the tarball rather than unpacked; a compressed tarball is decompressed once under the tmp dir.
 */
public final class OciArchiveSource implements ImageSource {
    private final OciLayoutSource layout;

    private OciArchiveSource(OciLayoutSource layout) {
        this.layout = layout;
    }

    /**
     * @param refName the ref name to choose, {@code @N}, or null for the only image
     * @param tmpDir where a compressed tarball is decompressed (deleted on close)
     */
    public static OciArchiveSource open(Path tarball, String refName, Path tmpDir) throws IOException {
        TarIndex tar = TarIndex.open(tarball, tmpDir);
        try {
            String describe = "oci-archive:" + tarball + (refName == null ? "" : ":" + refName);
            return new OciArchiveSource(new OciLayoutSource(new LayoutFiles.Tarball(tar), describe, refName, tar));
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    /** The ref names in the archive's index.json. */
    public List<String> refNames() {
        return layout.refNames();
    }

    public Descriptor entry() {
        return layout.entry();
    }

    @Override
    public String describe() {
        return layout.describe();
    }

    @Override
    public RawManifest manifest(Platform platform) throws IOException {
        return layout.manifest(platform);
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        return layout.blob(descriptor);
    }

    @Override
    public void close() throws IOException {
        layout.close();
    }
}
