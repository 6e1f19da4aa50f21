package berth.lock.shm;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.lock.LockManager;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * libpod's SHM lock segment, mapped into this process: the locks are podman's own mutexes, so
 * berth and podman exclude each other; numbers are allocated in the segment's bitmaps under its
 * segment lock, as shm_lock.c's allocate_semaphore does (the lowest free bit).
 */
final class ShmLockManager implements LockManager {
    private final Path path;
    private final ShmLayout layout;
    /** Kept referenced: the mapping lives as long as the buffer. */
    private final MappedByteBuffer mapping;
    private final Pointer base;

    private ShmLockManager(Path path, ShmLayout layout, MappedByteBuffer mapping) {
        this.path = path;
        this.layout = layout;
        this.mapping = mapping;
        this.base = Native.getDirectBufferPointer(mapping);
    }

    /** Opens the segment at {@code path}, making it as podman's setup_lock_shm does when it does not exist. */
    static ShmLockManager open(Path path, int numLocks) {
        if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "the shm lock manager knows glibc's pthread_mutex_t layout on"
                    + " x86-64 Linux only; use lock_type = \"file\" here");
        }
        ShmLayout layout = ShmLayout.forLocks(numLocks);
        boolean created = false;
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            created = true;
        } catch (FileAlreadyExistsException e) {
            // podman (or another berth) made it: open it
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create the SHM lock segment " + path + ": " + e.getMessage(), e);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (created) {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.allocate(1), layout.size() - 1); // ftruncate to the size, zero-filled
            }
            if (ch.size() < layout.size()) {
                throw mismatch(path, "it is " + ch.size() + " bytes, " + numLocks + " locks need " + layout.size()
                        + " (a segment being made by another process, or another num_locks)");
            }
            ShmLockManager m = new ShmLockManager(path, layout, ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.size()));
            if (created) {
                m.initialize();
            }
            m.validate(numLocks);
            return m;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot map the SHM lock segment " + path + ": " + e.getMessage(), e);
        }
    }

    private static BerthException mismatch(Path path, String why) {
        return new BerthException(ErrorCode.CONFIG_INVALID, "SHM lock segment " + path + " does not fit: " + why);
    }

    /** setup_lock_shm: robust process-shared mutexes, empty bitmaps, then the counts and the magic. */
    private void initialize() {
        Memory attr = new Memory(64);
        check(PThread.pthread_mutexattr_init(attr), "pthread_mutexattr_init");
        try {
            check(PThread.pthread_mutexattr_setpshared(attr, PThread.PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared");
            check(PThread.pthread_mutexattr_setrobust(attr, PThread.PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust");
            check(PThread.pthread_mutex_init(base.share(ShmLayout.SEGMENT_LOCK_OFFSET), attr), "pthread_mutex_init");
            for (int g = 0; g < layout.numBitmaps(); g++) {
                base.setInt(layout.bitmapOffset(g), 0);
            }
            for (int n = 0; n < layout.numLocks(); n++) {
                check(PThread.pthread_mutex_init(mutex(n), attr), "pthread_mutex_init");
            }
        } finally {
            PThread.pthread_mutexattr_destroy(attr);
        }
        base.setInt(ShmLayout.NUM_BITMAPS_OFFSET, layout.numBitmaps());
        base.setInt(ShmLayout.NUM_LOCKS_OFFSET, layout.numLocks());
        base.setShort(ShmLayout.MAGIC_OFFSET + 2, (short) 0);
        base.setShort(ShmLayout.MAGIC_OFFSET, (short) ShmLayout.MAGIC);
        mapping.force();
    }

    /** open_lock_shm's checks: the magic, and the number of locks podman was configured with. */
    private void validate(int numLocks) {
        int magic = Short.toUnsignedInt(base.getShort(ShmLayout.MAGIC_OFFSET));
        if (magic != ShmLayout.MAGIC) {
            throw mismatch(path, String.format("its magic is 0x%X, not 0x%X", magic, ShmLayout.MAGIC));
        }
        int locks = base.getInt(ShmLayout.NUM_LOCKS_OFFSET);
        if (locks != layout.numLocks()) {
            throw mismatch(path, "it holds " + locks + " locks, [engine] num_locks asks for " + numLocks
                    + " (set num_locks as podman's containers.conf does)");
        }
    }

    private void check(int rc, String call) {
        if (rc != 0) {
            throw new BerthException(ErrorCode.INTERNAL, call + " failed on " + path + ": error " + rc);
        }
    }

    private Pointer mutex(int number) {
        return base.share(layout.mutexOffset(number));
    }

    private void checkNumber(int number) {
        if (number < 0 || number >= layout.numLocks()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "lock " + number + " is out of range: " + path + " holds "
                    + layout.numLocks() + " locks");
        }
    }

    /** take_mutex: retry EAGAIN; a dead owner's mutex is made consistent and is then ours. */
    private void take(Pointer m, String what) {
        int rc;
        do {
            rc = PThread.pthread_mutex_lock(m);
        } while (rc == PThread.EAGAIN);
        if (rc == PThread.EOWNERDEAD) {
            rc = PThread.pthread_mutex_consistent(m);
        }
        check(rc, "locking " + what + ": pthread_mutex_lock");
    }

    private void release(Pointer m, String what) {
        int rc;
        do {
            rc = PThread.pthread_mutex_unlock(m);
        } while (rc == PThread.EAGAIN);
        check(rc, "unlocking " + what + ": pthread_mutex_unlock");
    }

    private <T> T underSegmentLock(java.util.function.Supplier<T> body) {
        Pointer seg = base.share(ShmLayout.SEGMENT_LOCK_OFFSET);
        take(seg, "the segment lock");
        try {
            return body.get();
        } finally {
            release(seg, "the segment lock");
        }
    }

    @Override
    public int allocate() {
        Integer n = underSegmentLock(() -> {
            for (int g = 0; g < layout.numBitmaps(); g++) {
                int bits = base.getInt(layout.bitmapOffset(g));
                if (bits != -1) {
                    int bit = Integer.numberOfTrailingZeros(~bits);
                    base.setInt(layout.bitmapOffset(g), bits | (1 << bit));
                    return g * ShmLayout.BITMAP_BITS + bit;
                }
            }
            return null;
        });
        if (n == null) {
            throw new BerthException(ErrorCode.INTERNAL, "all " + layout.numLocks() + " locks in " + path + " are allocated;"
                    + " remove containers, or raise num_locks and run podman system renumber");
        }
        return n;
    }

    @Override
    public boolean allocate(int number) {
        checkNumber(number);
        return underSegmentLock(() -> {
            long at = layout.bitmapOffset(number / ShmLayout.BITMAP_BITS);
            int bits = base.getInt(at);
            int bit = 1 << (number % ShmLayout.BITMAP_BITS);
            if ((bits & bit) != 0) {
                return false;
            }
            base.setInt(at, bits | bit);
            return true;
        });
    }

    @Override
    public void free(int number) {
        checkNumber(number);
        underSegmentLock(() -> {
            long at = layout.bitmapOffset(number / ShmLayout.BITMAP_BITS);
            base.setInt(at, base.getInt(at) & ~(1 << (number % ShmLayout.BITMAP_BITS)));
            return null;
        });
    }

    @Override
    public boolean isAllocated(int number) {
        checkNumber(number);
        return underSegmentLock(() -> (base.getInt(layout.bitmapOffset(number / ShmLayout.BITMAP_BITS))
                & (1 << (number % ShmLayout.BITMAP_BITS))) != 0);
    }

    @Override
    public Held lock(int number) {
        checkNumber(number);
        Pointer m = mutex(number);
        take(m, "lock " + number + " in " + path);
        return new HeldMutex(number, m);
    }

    @Override
    public Optional<Held> tryLock(int number) {
        checkNumber(number);
        Pointer m = mutex(number);
        int rc = PThread.pthread_mutex_trylock(m);
        if (rc == PThread.EBUSY) {
            return Optional.empty();
        }
        if (rc == PThread.EOWNERDEAD) {
            rc = PThread.pthread_mutex_consistent(m);
        }
        check(rc, "locking lock " + number + " in " + path + ": pthread_mutex_trylock");
        return Optional.of(new HeldMutex(number, m));
    }

    @Override
    public int capacity() {
        return layout.numLocks();
    }

    @Override
    public void close() {
        // the mapping goes with the buffer; the segment stays for podman and other berth processes
    }

    /** One mutex held by the calling thread. */
    private final class HeldMutex implements Held {
        private final int number;
        private final Pointer mutex;
        private boolean released;

        HeldMutex(int number, Pointer mutex) {
            this.number = number;
            this.mutex = mutex;
        }

        @Override
        public int number() {
            return number;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(mutex, "lock " + number + " in " + path);
            }
        }
    }
}
