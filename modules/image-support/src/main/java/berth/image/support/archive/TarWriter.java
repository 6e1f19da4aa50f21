package berth.image.support.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a tarball to a hidden temp file beside its target and renames it into place on
 * {@link #commit()}, so a failed save never leaves a half archive under the target's name. Names
 * and sizes past the ustar limits use PAX headers.
 */
final class TarWriter implements AutoCloseable {
    private static final Date EPOCH = new Date(0);

    private final Path target;
    private final Path temp;
    private final TarArchiveOutputStream tar;
    private boolean done;

    TarWriter(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path parent = this.target.getParent();
        Files.createDirectories(parent);
        this.temp = parent.resolve("." + this.target.getFileName() + "." + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + ".tmp");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16);
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    Path target() {
        return target;
    }

    void addDirectory(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(040755);
        e.setModTime(EPOCH);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    void addBytes(String name, byte[] bytes) throws IOException {
        addStream(name, bytes.length, new java.io.ByteArrayInputStream(bytes));
    }

    void addFile(String name, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            addStream(name, Files.size(file), in);
        }
    }

    /** Adds a file of exactly {@code size} bytes from {@code in}; fewer is an error (the archive is then unusable). */
    void addStream(String name, long size, InputStream in) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0100644);
        e.setModTime(EPOCH);
        tar.putArchiveEntry(e);
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(name + ": the content ended " + left + " bytes short of its size " + size);
            }
            tar.write(buf, 0, n);
            left -= n;
        }
        tar.closeArchiveEntry();
    }

    /** Ends the archive, syncs it and renames it over the target. */
    void commit() throws IOException {
        tar.finish();
        tar.close();
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done = true;
    }

    /** Discards the temp file unless committed. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            try {
                tar.close();
            } catch (IOException ignored) {
                // an unfinished archive may not close cleanly; it is deleted anyway
            }
            Files.deleteIfExists(temp);
        }
    }
}
