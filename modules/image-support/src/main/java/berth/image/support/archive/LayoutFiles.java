package berth.image.support.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The files of an OCI layout, in a directory or inside an oci-archive tarball (read in place, not unpacked). */
sealed interface LayoutFiles {
    boolean exists(String relative);

    InputStream open(String relative) throws IOException;

    byte[] read(String relative, int limit) throws IOException;

    /** A directory: the layout as {@code oci:DIR} has it. */
    record Directory(Path dir) implements LayoutFiles {
        @Override
        public boolean exists(String relative) {
            return Files.isRegularFile(dir.resolve(relative));
        }

        @Override
        public InputStream open(String relative) throws IOException {
            try {
                return Files.newInputStream(dir.resolve(relative));
            } catch (NoSuchFileException e) {
                throw new IOException(dir + ": the layout has no file " + relative, e);
            }
        }

        @Override
        public byte[] read(String relative, int limit) throws IOException {
            Path p = dir.resolve(relative);
            if (Files.isRegularFile(p) && Files.size(p) > limit) {
                throw new IOException(p + " is larger than the " + limit + " bytes allowed");
            }
            try (InputStream in = open(relative)) {
                return in.readAllBytes();
            }
        }
    }

    /** A tarball: the layout as {@code oci-archive:FILE} has it. */
    record Tarball(TarIndex tar) implements LayoutFiles {
        @Override
        public boolean exists(String relative) {
            return tar.has(relative);
        }

        @Override
        public InputStream open(String relative) throws IOException {
            return tar.open(relative);
        }

        @Override
        public byte[] read(String relative, int limit) throws IOException {
            return tar.read(relative, limit);
        }
    }
}
