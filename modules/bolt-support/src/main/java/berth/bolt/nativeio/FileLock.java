package berth.bolt.nativeio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A flock(2) lock on a file, the lock bbolt takes: exclusive for a writer, shared for a read-only
 * open. (java.nio's FileChannel.lock is an fcntl record lock, which a Go bbolt process does not
 * see.) The lock is held on a descriptor of its own; it is released by {@link #close()}.
 *
 * <p>Not a copy of {@code berth.support.FileLocks}: that one is an fcntl lock, and flock and fcntl
 * locks do not see each other on Linux. The bolt database must be locked the way bbolt and podman
 * lock it, so this stays flock(2) through JNA; do not move it onto FileLocks.
 */
public final class FileLock implements AutoCloseable {
    private final int fd;
    private boolean closed;

    private FileLock(int fd) {
        this.fd = fd;
    }

    /** Thrown when the lock was not granted within the timeout. */
    public static final class TimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Opens {@code path} (creating it with mode 0600 when {@code create}) and locks it.
     *
     * @throws TimeoutException when another process holds a conflicting lock for longer than the timeout
     * @throws IOException when the file cannot be opened or locked, or JNA cannot be loaded
     */
    public static FileLock acquire(Path path, boolean exclusive, boolean create, long timeout, TimeUnit unit) throws IOException {
        int fd;
        try {
            int flags = (exclusive ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_CLOEXEC | (create ? LibC.O_CREAT : 0);
            fd = LibC.open(path.toString(), flags, 0600);
        } catch (com.sun.jna.LastErrorException e) {
            throw new IOException("cannot open " + path + ": " + strerror(e.getErrorCode()), e);
        } catch (LinkageError e) {
            throw new IOException("cannot load the native flock(2) binding (JNA) needed to lock " + path + ": " + e, e);
        }
        FileLock lock = new FileLock(fd);
        try {
            lock.lock(path, exclusive ? LibC.LOCK_EX : LibC.LOCK_SH, unit.toNanos(timeout));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    private void lock(Path path, int op, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        long sleepMicros = 100;
        while (true) {
            try {
                LibC.flock(fd, op | LibC.LOCK_NB);
                return;
            } catch (com.sun.jna.LastErrorException e) {
                int err = e.getErrorCode();
                if (err == LibC.EINTR) {
                    continue;
                }
                if (err != LibC.EWOULDBLOCK) {
                    throw new IOException("flock(" + path + ") failed: " + strerror(err), e);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("timed out after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
                        + "s waiting for the " + (op == LibC.LOCK_EX ? "exclusive" : "shared") + " lock on " + path
                        + ", held by another process (podman or berth)");
            }
            try {
                TimeUnit.MICROSECONDS.sleep(sleepMicros);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lock on " + path, ie);
            }
            sleepMicros = Math.min(sleepMicros * 2, 20_000);
        }
    }

    /** The operating system's page size (what bbolt uses for a new database). */
    public static int osPageSize() {
        try {
            int ps = LibC.getpagesize();
            return ps > 0 ? ps : 4096;
        } catch (LinkageError e) {
            return 4096;
        }
    }

    private static String strerror(int errno) {
        switch (errno) {
            case 2: return "no such file or directory (ENOENT)";
            case 13: return "permission denied (EACCES)";
            case 30: return "read-only file system (EROFS)";
            default: return "errno " + errno;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd); // closing the descriptor drops the flock
            } catch (com.sun.jna.LastErrorException e) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }
}
