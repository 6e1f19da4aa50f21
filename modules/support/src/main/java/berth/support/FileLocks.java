package berth.support;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An exclusive lock on a file that holds across processes and across the threads of this JVM.
 *
 * <p>Across processes it is {@link FileChannel#lock()}, a POSIX (fcntl) record lock. That lock
 * belongs to the process, not the thread: a second channel of the same JVM locking the same file
 * gets an {@code OverlappingFileLockException}, and closing any channel on the file drops it. So an
 * in-JVM {@link ReentrantLock} per path stands in front of it, and only the first, outermost hold of
 * a thread takes the file lock; nested holds by the same thread only count.
 *
 * <p>It is not a flock(2) lock: a process that locks the same file with flock (bbolt, podman's
 * bolt state) does not see it, nor it theirs.
 *
 * <p>Paths are keyed absolute and normalized, not resolved through symlinks: two names for one
 * file through a symlink are two locks within this JVM. The in-JVM lock objects are kept for the
 * life of the JVM (one small object per path ever locked).
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /**
     * A lock held by the thread that took it. Close it on that thread (try-with-resources);
     * closing releases it, closing again does nothing, and close never throws.
     */
    public static final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final FileChannel channel; // null for a nested hold: the outermost one owns the file lock
        private boolean closed;

        Held(ReentrantLock local, FileChannel channel) {
            this.local = local;
            this.channel = channel;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (channel != null) {
                    channel.close(); // closing the channel releases its file lock
                }
            } catch (IOException e) {
                // the descriptor is gone either way, and with it the lock
            } finally {
                local.unlock();
            }
        }
    }

    /**
     * Blocks until this thread holds the lock on {@code file}, creating the file (and its missing
     * parent directories) if needed.
     *
     * @throws BerthException {@link ErrorCode#INTERNAL}, naming the file, when it cannot be
     *     created, opened or locked (also when the thread is interrupted while waiting for another
     *     process)
     */
    public static Held lock(Path file) {
        Path key = key(file);
        ReentrantLock local = localLock(key);
        local.lock();
        if (local.getHoldCount() > 1) {
            return new Held(local, null);
        }
        FileChannel ch = null;
        try {
            ch = open(key);
            lockWaiting(ch);
            return new Held(local, ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            local.unlock();
            throw failure(key, e);
        }
    }

    /** How long a lock refused as a deadlock is tried again before the refusal stands. */
    private static final long DEADLOCK_RETRY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

    /**
     * Waits for the file lock. fcntl(2) counts every thread of a process as one owner when it looks
     * for deadlocks, so a berth with threads working on several containers at once (the API
     * service) can be refused with EDEADLK for a wait that is no deadlock: one thread waits for a
     * lock another process holds while that process waits for a lock a different thread here holds
     * and will release. Such a refusal is tried again after a short sleep, for a while.
     */
    private static void lockWaiting(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + DEADLOCK_RETRY_NANOS;
        long sleepMillis = 1;
        while (true) {
            try {
                ch.lock();
                return;
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("deadlock") || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new java.nio.channels.FileLockInterruptionException();
            }
            sleepMillis = Math.min(50, sleepMillis * 2);
        }
    }

    /**
     * Takes the lock if neither another thread of this JVM nor another process holds it.
     *
     * @return the held lock, or null when it is held elsewhere
     * @throws BerthException {@link ErrorCode#INTERNAL} when the file cannot be created or opened
     */
    public static Held tryLock(Path file) {
        Path key = key(file);
        ReentrantLock local = localLock(key);
        if (!local.tryLock()) {
            return null;
        }
        if (local.getHoldCount() > 1) {
            return new Held(local, null);
        }
        FileChannel ch = null;
        try {
            ch = open(key);
            if (ch.tryLock() == null) {
                ch.close();
                local.unlock();
                return null;
            }
            return new Held(local, ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            local.unlock();
            throw failure(key, e);
        }
    }

    /** Runs {@code body} holding the lock on {@code file}; see {@link #lock(Path)} for what it throws. */
    public static <T> T withLock(Path file, Supplier<T> body) {
        try (Held ignored = lock(file)) {
            return body.get();
        }
    }

    /** Runs {@code body} holding the lock on {@code file}; see {@link #lock(Path)} for what it throws. */
    public static void withLock(Path file, Runnable body) {
        try (Held ignored = lock(file)) {
            body.run();
        }
    }

    /**
     * Deletes a lock file that is no longer needed (say, a removed container's); a missing file or
     * a failure is ignored, since a stale lock file is harmless. Call it only when no one can want
     * the lock again: a process waiting on the deleted file and one that creates it anew would both
     * hold "the" lock.
     */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // harmless litter
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    private static ReentrantLock localLock(Path key) {
        ReentrantLock l = LOCAL.get(key);
        if (l == null) {
            ReentrantLock fresh = new ReentrantLock();
            l = LOCAL.putIfAbsent(key, fresh);
            if (l == null) {
                l = fresh;
            }
        }
        return l;
    }

    /** Opens (creating) the lock file; parent directories are made only when the first open fails, so the hot path costs one open. */
    private static FileChannel open(Path key) throws IOException {
        try {
            return FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(key.getParent());
            return FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    private static BerthException failure(Path key, Exception e) {
        return new BerthException(ErrorCode.INTERNAL, "cannot lock " + key + ": " + e.getMessage(), e);
    }
}
