/**
 * libpod's SHM lock manager for berth: the process-shared robust pthread mutexes podman keeps in
 * {@code /dev/shm/libpod_lock} (a segment lock, then groups of 32 mutexes with an allocation bitmap
 * each), taken and allocated through JNA exactly as podman's shm_lock.c does, so that berth and
 * podman exclude each other on one container. Provides
 * {@link berth.kernel.spi.lock.LockManagerProvider} with the id {@code shm}; exports nothing. JNA is
 * loaded only when a manager is opened.
 */
module berth.lock.shm {
    requires berth.kernel;
    requires com.sun.jna;

    // JNA direct mapping binds the native methods reflectively.
    opens berth.lock.shm to com.sun.jna;

    provides berth.kernel.spi.lock.LockManagerProvider with berth.lock.shm.ShmLockManagerProvider;
}
