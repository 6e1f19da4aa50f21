package berth.kernel.spi.lock;

import berth.kernel.plugin.PluginProvider;

/**
 * A kind of per-container lock shared by every process that manages containers (libpod's lock
 * managers). Selected by {@link #id()} as {@code [engine] lock_type}, podman's names ({@code shm});
 * cheap to construct: native code waits for {@link #open}.
 */
public interface LockManagerProvider extends PluginProvider {
    LockManager open(LockEnvironment env);
}
