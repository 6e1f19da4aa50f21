package berth.image.support.archive;

import berth.image.support.manifest.Descriptor;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.RawManifest;
import berth.support.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes an oci-archive: an OCI layout is built in a temp directory and, on {@link #commit()},
 * tarred into the target (which it replaces whole, as containers/image does). The temp directory
 * is removed on close.
 */
public final class OciArchiveDestination implements ImageDestination {
    private final Path tarball;
    private final Path layoutDir;
    private final OciLayoutDestination layout;

    public OciArchiveDestination(Path tarball, Path tmpDir) throws IOException {
        this.tarball = tarball;
        Files.createDirectories(tmpDir);
        this.layoutDir = Files.createTempDirectory(tmpDir, "berth-oci-archive-");
        this.layout = new OciLayoutDestination(layoutDir);
    }

    @Override
    public String describe() {
        return "oci-archive:" + tarball;
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) throws IOException {
        return layout.hasBlob(descriptor);
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        layout.putBlob(descriptor, content);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) throws IOException {
        layout.putManifest(manifest, tag);
    }

    /** The manifest the last {@link #putManifest} stored (a Docker one is converted to OCI). */
    public RawManifest lastManifest() {
        return layout.lastManifest();
    }

    @Override
    public void commit() throws IOException {
        layout.commit();
        try (TarWriter tar = new TarWriter(tarball)) {
            tar.addFile("oci-layout", layoutDir.resolve("oci-layout"));
            tar.addFile("index.json", layoutDir.resolve("index.json"));
            tar.addDirectory("blobs");
            tar.addDirectory("blobs/sha256");
            List<Path> blobs;
            try (Stream<Path> s = Files.list(layoutDir.resolve("blobs/sha256"))) {
                blobs = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            }
            for (Path blob : blobs) {
                tar.addFile("blobs/sha256/" + blob.getFileName(), blob);
            }
            tar.commit();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            FileTrees.delete(layoutDir);
        } catch (RuntimeException e) {
            throw new IOException(describe() + ": cannot remove " + layoutDir + ": " + e.getMessage(), e);
        }
    }
}
