package berth.engine.internal;

import berth.support.FileLocks;
import java.nio.file.Path;

/**
 * One lock per container across every berth process (podman's file lock manager): a lock file per
 * container under TMPDIR/locks, held with {@link FileLocks} (a file lock, with a per-process mutex in
 * front of it because file locks are per process).
 */
public final class LockManager {
    private final Path dir;

    public LockManager(Path dir) {
        this.dir = dir;
    }

    /** The container's (or a named engine-wide) lock, held until closed. */
    public FileLocks.Held lock(String id) {
        return FileLocks.lock(dir.resolve(id));
    }

    /** Removes the lock file of a removed container. */
    public void forget(String id) {
        FileLocks.delete(dir.resolve(id));
    }
}
