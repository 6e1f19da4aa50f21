package berth.kernel.spi.lock;

import java.util.Optional;

/**
 * Numbered locks shared across processes (libpod's lock.Manager): a container's record carries
 * its lock number, every engine that changes the container holds that lock, and the numbers are
 * allocated and freed here so that two engines never hand one number to two containers.
 *
 * <p>A lock is held by the thread that took it and released by the same thread (the locks may be
 * pthread mutexes). A holder that dies releases it: the next taker gets it, and the manager makes
 * it consistent again (robust mutexes, EOWNERDEAD).
 */
public interface LockManager extends AutoCloseable {
    /** A free number, now allocated (libpod: the lowest free bit of the bitmap, under the segment lock). */
    int allocate();

    /** Marks {@code number} allocated (a record that names it); false when it already was. */
    boolean allocate(int number);

    /** Frees {@code number} (the container is gone); freeing a free number is no error. */
    void free(int number);

    /** Whether {@code number} is allocated. */
    boolean isAllocated(int number);

    /** Takes lock {@code number}, waiting as long as another process holds it. */
    Held lock(int number);

    /** Takes lock {@code number} if it is free now. */
    Optional<Held> tryLock(int number);

    /** How many locks there are (numbers are 0 to capacity - 1). */
    int capacity();

    @Override
    void close();

    /** A lock held; closing releases it. */
    interface Held extends AutoCloseable {
        int number();

        @Override
        void close();
    }
}
