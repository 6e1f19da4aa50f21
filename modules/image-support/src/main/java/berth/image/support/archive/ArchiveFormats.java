package berth.image.support.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Tells a docker-archive from an oci-archive by the files at the tarball's root. */
public final class ArchiveFormats {
    private ArchiveFormats() {
    }

    /**
     * The format of {@code tarball} (which may be gzip- or zstd-compressed), read from its headers
     * up to the first decisive file.
     *
     * @throws IOException "payload does not match any of the supported image formats", naming the
     *     file and why, for anything else
     */
    public static ArchiveFormat detect(Path tarball) throws IOException {
        boolean ociLayout = false;
        boolean index = false;
        boolean manifest = false;
        int entries = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompressed(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                switch (TarIndex.clean(e.getName())) {
                    case "oci-layout" -> ociLayout = e.isFile();
                    case "index.json" -> index = e.isFile();
                    case "manifest.json" -> manifest = e.isFile();
                    default -> {
                    }
                }
                if (ociLayout && index) {
                    return ArchiveFormat.OCI_ARCHIVE;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                throw new IOException(tarball + ": no such file", e);
            }
            throw unsupported(tarball, "not a readable tar archive (" + e.getMessage() + ")", e);
        }
        if (manifest) {
            return ArchiveFormat.DOCKER_ARCHIVE;
        }
        if (entries == 0) {
            throw unsupported(tarball, "not a tar archive, or an empty one", null);
        }
        throw unsupported(tarball, "a tar archive with neither manifest.json (docker-archive) nor oci-layout and index.json (oci-archive) at its root", null);
    }

    private static IOException unsupported(Path tarball, String why, Throwable cause) {
        return new IOException("payload does not match any of the supported image formats (oci-archive, docker-archive): "
                + tarball + " is " + why, cause);
    }
}
