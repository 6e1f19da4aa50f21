package berth.engine.internal;

import berth.kernel.spi.lock.LockManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * A container's lock in a lock manager shared with other engines ({@code [engine] lock_type =
 * "shm"}: podman's SHM locks), taken inside berth's own file lock by the thread that holds that.
 * The number is the record's (libpod's lockID): for podman's containers the lock podman takes too.
 * Nested holds by one thread take it once (the file lock is reentrant; a pthread mutex is not).
 */
final class SharedLocks {
    private static final AutoCloseable NONE = () -> { };

    private final Supplier<Optional<LockManager>> manager;
    private final Plugins plugins;
    private final ThreadLocal<Map<String, Integer>> depth = ThreadLocal.withInitial(HashMap::new);

    SharedLocks(Plugins plugins) {
        this.plugins = plugins;
        this.manager = plugins::sharedLocks;
    }

    /** Holds container {@code id}'s shared lock until closed; nothing when none is configured or the record has no number. */
    AutoCloseable hold(String id) {
        Optional<LockManager> m = manager.get();
        if (m.isEmpty()) {
            return NONE;
        }
        Map<String, Integer> held = depth.get();
        if (held.merge(id, 1, Integer::sum) > 1) {
            return () -> held.merge(id, -1, Integer::sum);
        }
        try {
            OptionalInt n = plugins.state().lockNumber(id);
            if (n.isEmpty()) {
                held.remove(id);
                return NONE;
            }
            LockManager.Held h = m.get().lock(n.getAsInt());
            return () -> {
                held.remove(id);
                h.close();
            };
        } catch (RuntimeException e) {
            held.remove(id);
            throw e;
        }
    }
}
