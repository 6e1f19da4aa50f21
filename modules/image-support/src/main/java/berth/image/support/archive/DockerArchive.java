package berth.image.support.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A docker-archive tarball opened for reading: what {@code docker save} and
 * {@code podman save --format docker-archive} write. The tarball is indexed once; each image is read
 * through a {@link DockerArchiveSource}, and all of them share this index (a {@code load} of a
 * multi-image archive opens it once).
 */
public final class DockerArchive implements AutoCloseable {
    static final int MAX_MANIFEST_JSON = 8 << 20;

    private final TarIndex tar;
    private final List<DockerArchiveImage> images;

    private DockerArchive(TarIndex tar, List<DockerArchiveImage> images) {
        this.tar = tar;
        this.images = images;
    }

    /**
     * Opens and indexes {@code archive}; a gzip- or zstd-compressed one is decompressed into a temp
     * file under {@code tmpDir}, deleted on close.
     *
     * @throws IOException naming the archive: not a tar, truncated, or without a valid manifest.json
     */
    public static DockerArchive open(Path archive, Path tmpDir) throws IOException {
        TarIndex tar = TarIndex.open(archive, tmpDir);
        try {
            if (!tar.has("manifest.json")) {
                throw new IOException(archive + ": not a docker-archive: the archive has no manifest.json");
            }
            return new DockerArchive(tar, DockerArchiveImage.parseManifestJson(archive, tar.read("manifest.json", MAX_MANIFEST_JSON)));
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    public Path path() {
        return tar.tarball();
    }

    /** The images, in manifest.json's order. */
    public List<DockerArchiveImage> images() {
        return images;
    }

    /**
     * The image {@code ref} names, as {@code docker-archive:PATH:REF} does: null for the only image
     * (an error when there are several), {@code @N} for the N-th, else a {@code name:tag} compared
     * with the RepoTags after normalisation ({@code busybox} = {@code docker.io/library/busybox:latest}).
     */
    public DockerArchiveImage choose(String ref) throws IOException {
        if (ref == null || ref.isEmpty()) {
            if (images.size() != 1) {
                throw new IOException(path() + ": unexpected tar manifest.json: expected 1 item, got " + images.size()
                        + " (name one with :@N or :name:tag)");
            }
            return images.get(0);
        }
        if (ref.startsWith("@")) {
            int i;
            try {
                i = Integer.parseInt(ref.substring(1));
            } catch (NumberFormatException e) {
                throw new IOException("invalid source index " + ref + ": not an integer");
            }
            if (i < 0 || i >= images.size()) {
                throw new IOException(path() + ": invalid source index " + ref + ", only " + images.size() + " manifest items available");
            }
            return images.get(i);
        }
        String wanted = DockerTags.normalize(ref);
        for (DockerArchiveImage image : images) {
            for (String tag : image.repoTags()) {
                if (DockerTags.normalize(tag).equals(wanted)) {
                    return image;
                }
            }
        }
        throw new IOException(path() + ": tag \"" + wanted + "\" not found in the archive");
    }

    /** A source for one image; it shares this archive, which stays open when the source closes. */
    public DockerArchiveSource source(DockerArchiveImage image) {
        return new DockerArchiveSource(this, image, "docker-archive:" + path() + ":@" + image.index(), false);
    }

    TarIndex tar() {
        return tar;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
