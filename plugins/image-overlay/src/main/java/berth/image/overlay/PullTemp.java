package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.FileLocks;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory for one transfer's blobs under {@code <graphRoot>/tmp/berth-pull/}, locked while the
 * transfer runs, so that a cleanup by another process deletes only what a killed transfer left.
 * Creating a directory and locking it are two steps; a lock beside the root
 * ({@code berth-pull.lock}) makes them one for a cleanup, which would otherwise lock and delete a
 * directory in the moment between them.
 */
final class PullTemp implements AutoCloseable {
    private static final String LOCK = "in-use.lock";
    private final Path dir;
    private final FileLocks.Held lock;
    /** The guard of a root that is removed once empty (a staging root among the layers), else null. */
    private final Path prunedRootGuard;

    private PullTemp(Path dir, FileLocks.Held lock, Path prunedRootGuard) {
        this.dir = dir;
        this.lock = lock;
        this.prunedRootGuard = prunedRootGuard;
    }

    static PullTemp create(Path root) {
        return create(root, guard(root), false);
    }

    /**
     * A directory under {@code root}, with the lock {@code guard} in place of the one beside the
     * root; with {@code prune}, the root itself goes when the last transfer using it is done (a
     * staging root among the driver's layer directories, which podman's tools do not expect).
     */
    static PullTemp create(Path root, Path guard, boolean prune) {
        return FileLocks.withLock(guard, () -> {
            try {
                Files.createDirectories(root);
                Path dir = Files.createTempDirectory(root, "pull-");
                return new PullTemp(dir, FileLocks.lock(dir.resolve(LOCK)), prune ? guard : null);
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot create a temp directory in " + root + ": " + e.getMessage(), e);
            }
        });
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            FileTrees.delete(dir);
        } finally {
            lock.close();
        }
        if (prunedRootGuard != null) {
            FileLocks.withLock(prunedRootGuard, () -> {
                pruneIfEmpty(dir.getParent());
            });
        }
    }

    private static void pruneIfEmpty(Path root) {
        try {
            Files.deleteIfExists(root);
        } catch (IOException e) {
            // another transfer's directory is in it (DirectoryNotEmptyException): it prunes the root when done
        }
    }

    /** Deletes each transfer directory no live transfer holds. */
    static void cleanup(Path root) {
        cleanup(root, guard(root), false);
    }

    /** As above, with the guard given to {@link #create(Path, Path, boolean)}; {@code prune}: the root too once empty. */
    static void cleanup(Path root, Path guard, boolean prune) {
        if (!Files.isDirectory(root)) {
            return;
        }
        FileLocks.withLock(guard, () -> {
            cleanupLocked(root);
            if (prune) {
                pruneIfEmpty(root);
            }
        });
    }

    private static Path guard(Path root) {
        return root.resolveSibling(root.getFileName() + ".lock");
    }

    private static void cleanupLocked(Path root) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                FileLocks.Held held = FileLocks.tryLock(d.resolve(LOCK));
                if (held == null) {
                    continue; // a transfer in progress
                }
                try (held) {
                    FileTrees.delete(d);
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot clean " + root + ": " + e.getMessage(), e);
        }
    }
}
