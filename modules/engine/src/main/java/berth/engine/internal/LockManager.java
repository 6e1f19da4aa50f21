package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per container across every berth process (podman's file lock manager): a lock file under
 * TMPDIR/locks, held with an exclusive file lock; a per-process mutex in front of it because file
 * locks are per process.
 */
public final class LockManager {
    private final Path dir;
    private final ConcurrentHashMap<String, ReentrantLock> local = new ConcurrentHashMap<>();

    public LockManager(Path dir) {
        this.dir = dir;
    }

    /** A held lock; close to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held lock(String id) {
        ReentrantLock l = local.computeIfAbsent(id, k -> new ReentrantLock());
        l.lock();
        if (l.getHoldCount() > 1) {
            return l::unlock; // re-entrant use within this thread already holds the file lock
        }
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl = ch.lock();
            return () -> {
                try {
                    fl.release();
                    ch.close();
                } catch (IOException e) {
                    // closing the channel releases the lock in any case
                } finally {
                    l.unlock();
                }
            };
        } catch (IOException e) {
            l.unlock();
            throw new BerthException(ErrorCode.INTERNAL, "cannot lock container " + id + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    public void forget(String id) {
        try {
            Files.deleteIfExists(dir.resolve(id));
        } catch (IOException e) {
            // a stale lock file is harmless
        }
    }
}
