package berth.engine.internal;

import berth.support.FileLocks;
import berth.engine.EngineConfig;
import berth.kernel.model.Container;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.spi.runtime.RuntimeFeature;
import berth.kernel.spi.state.StateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every engine service shares: the configuration, the plugins, the per-container locks and
 * where warnings go. One per engine; immutable but for the plugins it opens lazily.
 */
public final class EngineContext {
    private final EngineConfig config;
    private final Plugins plugins;
    private final LockManager locks;
    private final Consumer<String> warnings;
    private final CleanupCommand cleanupCommand;
    private final Intents intents;
    private final EventLog events;
    private final SharedLocks sharedLocks;

    public EngineContext(EngineConfig config, Plugins plugins, LockManager locks, Consumer<String> warnings) {
        this.config = config;
        this.plugins = plugins;
        this.locks = locks;
        this.warnings = warnings;
        this.cleanupCommand = new CleanupCommand(config, System.getProperty("berth.launcher"));
        this.intents = new Intents(config.tmpDir());
        this.events = EventLog.open(config, warnings);
        this.sharedLocks = new SharedLocks(plugins);
    }

    /** The events log every service writes its finished steps to. */
    public EventLog events() {
        return events;
    }

    /** The journal of unfinished operations. */
    public Intents intents() {
        return intents;
    }

    public EngineConfig config() {
        return config;
    }

    public Plugins plugins() {
        return plugins;
    }

    public LockManager locks() {
        return locks;
    }

    public Consumer<String> warnings() {
        return warnings;
    }

    public StateStore state() {
        return plugins.state();
    }

    public OciRuntime runtime(Container c) {
        return plugins.runtime(c.config().runtime());
    }

    public ContainerPaths paths(String id) {
        return ContainerPaths.of(config, id);
    }

    /** Runs {@code body} holding the container's lock (all berth processes). */
    public <T> T withLock(String id, Supplier<T> body) {
        try (FileLocks.Held ignored = locks.lock(id); AutoCloseable shared = sharedLocks.hold(id)) {
            return body.get();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // a lock's close throws none
        }
    }

    public void withLock(String id, Runnable body) {
        withLock(id, () -> {
            body.run();
            return null;
        });
    }

    /**
     * The runtime's view for an exec, which reads the container's config.json from its bundle. A
     * container podman started, and berth never did, has no berth bundle: its bundle is podman's static
     * dir, where podman keeps the k8s-file log too, and podman puts its exec sessions there as well.
     */
    public RuntimeContainer execView(Container c) {
        RuntimeContainer v = runtimeView(c);
        if (v.logPath() != null && !java.nio.file.Files.exists(v.bundleDir().resolve("config.json"))) {
            Path podmans = v.logPath().getParent();
            if (podmans != null && java.nio.file.Files.exists(podmans.resolve("config.json"))) {
                return new RuntimeContainer(v.id(), v.name(), podmans, v.runDir(), v.logDriver(), v.logPath(), v.terminal(),
                        v.stdin(), v.cleanupCommand(), v.pid(), v.monitorPid(), v.stopSignal(), v.timeout(), v.preserveFds(), v.logSizeMax());
            }
        }
        return v;
    }

    /** The runtime's view of a container, built afresh from its record for every runtime call. */
    public RuntimeContainer runtimeView(Container c) {
        ContainerPaths p = paths(c.id());
        boolean cleanup = runtime(c).features().contains(RuntimeFeature.CLEANUP_COMMAND);
        return new RuntimeContainer(c.id(), c.name(), p.bundleDir(), p.runDir(), c.config().logDriver(),
                c.config().logPath() == null ? null : Path.of(c.config().logPath()), c.config().terminal(),
                c.config().stdin(), cleanup ? cleanupCommand.forContainer(c.id()) : List.of(), c.state().pid(),
                c.state().conmonPid(), c.config().stopSignal(), c.config().timeout(),
                c.config().preserveFds(), c.config().logSizeMax());
    }
}
