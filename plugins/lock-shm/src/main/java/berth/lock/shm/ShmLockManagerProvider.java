package berth.lock.shm;

import berth.kernel.spi.lock.LockEnvironment;
import berth.kernel.spi.lock.LockManager;
import berth.kernel.spi.lock.LockManagerProvider;
import java.nio.file.Path;

/** {@code lock_type = "shm"}: podman's own locks. Constructing it loads no native code. */
public final class ShmLockManagerProvider implements LockManagerProvider {
    /** podman's segment for root: shm_open("/libpod_lock"). */
    public static final Path DEFAULT_SEGMENT = Path.of("/dev/shm/libpod_lock");

    @Override
    public String id() {
        return "shm";
    }

    @Override
    public String description() {
        return "libpod's SHM locks: process-shared robust pthread mutexes in " + DEFAULT_SEGMENT + ", shared with podman";
    }

    @Override
    public LockManager open(LockEnvironment env) {
        return ShmLockManager.open(DEFAULT_SEGMENT, env.numLocks());
    }
}
