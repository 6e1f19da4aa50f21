package berth.support;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces files so that readers, and a machine that loses power, see the old or the new content,
 * whole, never a mix or a part: the bytes go to a temp file in the target's directory, are synced,
 * and the temp file is renamed over the target (rename(2) is atomic within one file system); with
 * {@link Durability#FULL} the directory is synced too, so that the rename itself survives a power
 * loss.
 *
 * <p>To change several files together (an add that writes a name and a record), {@link #stage} each
 * one, {@link Staged#commit()} each, then {@link #syncDirectory} each directory once: all the data
 * syncs happen before the first rename, and one directory sync covers every rename in it.
 *
 * <p>A new file gets the default mode (0666 less the umask), as {@code Files.write} would; missing
 * parent directories are created (their own creation is not synced). Every failure is a
 * {@link BerthException} with {@link ErrorCode#INTERNAL} naming the target, and leaves no temp file.
 */
public final class AtomicFiles {
    /** How much of a replacement must survive a power loss once the call returns. */
    public enum Durability {
        /** Data and rename: the directory is synced after the rename (an add, a config file). */
        FULL,
        /**
         * Data only: after a power loss the file holds the old or the new content, both whole, but
         * may come back as the old one. Saves a directory sync (~0.3 ms) on hot update paths.
         */
        FILE_ONLY,
        /**
         * Atomic only, nothing synced: for files rebuilt from the record whenever they are lost or
         * stale (an OCI bundle, a cache on tmpfs), where a sync would only slow the hot path.
         */
        NONE
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code data} durably ({@link Durability#FULL}). */
    public static void write(Path target, byte[] data) {
        write(target, data, Durability.FULL);
    }

    /** Replaces {@code target} with {@code data}. */
    public static void write(Path target, byte[] data, Durability durability) {
        stage(target, data, durability != Durability.NONE).commit();
        if (durability == Durability.FULL) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Replaces {@code target} with {@code text} in UTF-8, durably ({@link Durability#FULL}). */
    public static void write(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8), Durability.FULL);
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void write(Path target, String text, Durability durability) {
        write(target, text.getBytes(StandardCharsets.UTF_8), durability);
    }

    /** Writes {@code data} to a synced temp file beside {@code target}; the target is untouched until {@link Staged#commit()}. */
    public static Staged stage(Path target, byte[] data) {
        return stage(target, data, true);
    }

    private static Staged stage(Path target, byte[] data, boolean sync) {
        Path tmp = null;
        try {
            tmp = tempFor(target);
            try (FileChannel ch = openNew(tmp)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (sync) {
                    ch.force(false);
                }
            }
            return new Staged(target, tmp, data.length);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("cannot write ", target, e);
        }
    }

    /** Copies {@code in} (to its end; not closed) to a synced temp file beside {@code target}; see {@link Staged#size()}. */
    public static Staged stage(Path target, InputStream in) {
        Path tmp = null;
        try {
            tmp = tempFor(target);
            long n;
            try (FileChannel ch = openNew(tmp)) {
                n = 0;
                byte[] buf = new byte[65536];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, r);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    n += r;
                }
                ch.force(false);
            }
            return new Staged(target, tmp, n);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("cannot write ", target, e);
        }
    }

    /** fsyncs a directory, so that the renames and deletions in it survive a power loss. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw failure("cannot sync directory ", dir, e);
        }
    }

    /**
     * A synced temp file waiting to replace its target. Close it (try-with-resources) to delete the
     * temp file when it was not committed; close never throws.
     */
    public static final class Staged implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final long size;
        private boolean done;

        Staged(Path target, Path temp, long size) {
            this.target = target;
            this.temp = temp;
            this.size = size;
        }

        public Path target() {
            return target;
        }

        /** The number of bytes staged. */
        public long size() {
            return size;
        }

        /**
         * Renames the temp file over the target (atomically; the directory is not synced: see
         * {@link AtomicFiles#syncDirectory}). On failure the temp file is deleted.
         *
         * @throws BerthException {@link ErrorCode#INTERNAL}, naming the target; also when already
         *     committed or closed
         */
        public void commit() {
            if (done) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot write " + target + ": its staged content was already used");
            }
            done = true;
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                deleteQuietly(temp);
                throw failure("cannot write ", target, e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                deleteQuietly(temp);
            }
        }
    }

    /** The temp file's name: hidden, beside the target, and never a name a caller uses. */
    private static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + ".tmp");
    }

    /** Creates and opens the temp file; parent directories are made only when missing, so the common case costs one open. */
    private static FileChannel openNew(Path tmp) throws IOException {
        try {
            return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(tmp.toAbsolutePath().getParent());
            return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // only litter; the target is intact
        }
    }

    private static BerthException failure(String what, Path path, IOException e) {
        return new BerthException(ErrorCode.INTERNAL, what + path + ": " + e.getMessage(), e);
    }
}
