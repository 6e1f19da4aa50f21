package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.RandomBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A containers/storage lock file ({@code layers.lock}, {@code images.lock}, ...): an fcntl write lock
 * on the whole file (FileChannel.lock is fcntl-based on Linux, so podman's F_SETLKW sees it), plus
 * the "last writer" token c/storage writes at offset 0 after a change so that other processes
 * reload their caches.
 *
 * <p>Why not berth.support.FileLocks: the token must be written through the very descriptor that
 * holds the lock (closing any other descriptor of the file drops a process's POSIX locks), and
 * FileLocks does not hand out its channel. The in-JVM lock in front of the fcntl lock is the same
 * idea: fcntl locks belong to the process, so threads must be kept apart by the JVM.
 */
final class LockFile implements AutoCloseable {
    /** c/storage's lastWriterIDSize. */
    private static final int TOKEN_SIZE = 64;
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path file;
    private final ReentrantLock local;
    private final FileChannel channel; // null for a nested hold of the same thread
    private boolean closed;

    private LockFile(Path file, ReentrantLock local, FileChannel channel) {
        this.file = file;
        this.local = local;
        this.channel = channel;
    }

    /** Blocks until this thread holds {@code file} exclusively, creating it (mode 0644 as c/storage) if needed. */
    static LockFile lock(Path file) {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() > 1) {
            return new LockFile(key, local, null);
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(key.getParent());
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.lock();
            return new LockFile(key, local, ch);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
            local.unlock();
            throw new BerthException(ErrorCode.INTERNAL, "cannot lock " + key + ": " + e.getMessage(), e);
        }
    }

    /** Writes a new last-writer token (c/storage's Touch): other processes see the store changed. */
    void touch() {
        if (channel == null) {
            return; // the outermost hold touches when it is asked to; a nested hold shares its descriptor
        }
        ByteBuffer token = ByteBuffer.allocate(TOKEN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        token.putLong(System.currentTimeMillis() * 1_000_000L);
        token.putLong(COUNTER.incrementAndGet());
        token.putInt((int) ProcessHandle.current().pid());
        token.put(RandomBytes.of(TOKEN_SIZE - 20)).flip();
        try {
            while (token.hasRemaining()) {
                channel.write(token, token.position());
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot touch " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the descriptor is gone either way, and with it the lock
        } finally {
            local.unlock();
        }
    }
}
