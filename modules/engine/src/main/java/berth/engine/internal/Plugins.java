package berth.engine.internal;

import berth.engine.EngineConfig;
import berth.kernel.error.BerthException;
import berth.kernel.plugin.PluginInfo;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.image.ImageStore;
import berth.kernel.spi.image.ImageStoreConfig;
import berth.kernel.spi.image.ImageStoreProvider;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.OciRuntimeProvider;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import berth.kernel.trace.Trace;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The engine's one way to its plugins: each SPI's providers through the registry, and the instances
 * made from them for this configuration (runtimes by name, the state store, the network backends),
 * each made on first use and kept for the engine's life.
 */
public final class Plugins implements AutoCloseable {
    private final EngineConfig config;
    private final PluginRegistry registry;
    private final Consumer<String> warnings;
    private final Map<String, OciRuntime> runtimes = new ConcurrentHashMap<>();
    private final Object storeLock = new Object();
    private volatile StateStore store;
    private berth.kernel.spi.lock.LockManager sharedLocks;
    private volatile List<NetworkBackend> networkBackends;
    private final java.util.concurrent.ConcurrentMap<String, NetworkBackend> networkBackendsById = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ImageStore imageStore;
    private final StateRefresh refresh;

    public Plugins(EngineConfig config, PluginRegistry registry, Consumer<String> warnings, StateRefresh refresh) {
        this.config = config;
        this.registry = registry;
        this.warnings = warnings;
        this.refresh = refresh;
    }

    /** Every plugin found, by SPI, for {@code berth info}. */
    public List<PluginInfo> describe() {
        List<PluginInfo> out = new ArrayList<>();
        out.addAll(registry.describe(OciRuntimeProvider.class));
        out.addAll(registry.describe(StateStoreProvider.class));
        out.addAll(registry.describe(NetworkBackendProvider.class));
        out.addAll(registry.describe(HookProvider.class));
        out.addAll(registry.describe(ImageStoreProvider.class));
        out.addAll(registry.describe(berth.kernel.spi.lock.LockManagerProvider.class));
        return out;
    }

    public List<String> problems() {
        return registry.problems();
    }

    /** The runtime of the given name (the configured default when null), checked to exist. */
    public OciRuntime runtime(String name) {
        String n = name == null ? config.runtime() : name;
        OciRuntime known = runtimes.get(n);
        if (known != null) {
            return known;
        }
        return runtimes.computeIfAbsent(n, k -> {
            // a path (podman's --runtime /path/to/crun) runs that binary through the plugin of its kind,
            // with that kind's state root, so commands that name the runtime by path or by kind agree
            String id = RuntimeBinaries.isPath(k)
                    ? RuntimeBinaries.identify(Path.of(k), registry.describe(OciRuntimeProvider.class).stream().map(PluginInfo::id).toList())
                    : k;
            List<String> binaries = RuntimeBinaries.isPath(k) ? List.of(k) : config.runtimePaths().getOrDefault(k, List.of());
            OciRuntimeProvider p = registry.select(OciRuntimeProvider.class, id);
            Trace.mark("runtime provider selected");
            // [engine] runtime_root: where each runtime keeps its state (ROOT/NAME); "/run" is crun's and
            // runc's own default for root, podman's, so that both engines find each other's containers
            List<String> runtimeRoot = config.engineOptions().get("runtime_root");
            Path base = runtimeRoot != null && !runtimeRoot.isEmpty() ? Path.of(runtimeRoot.get(0)) : config.runRoot().resolve("runtime");
            return p.create(new RuntimeEnvironment(binaries, base.resolve(id), config.tmpDir(), config.engineOptions(),
                    config.logLevel(), warnings));
        });
    }

    /**
     * The lock manager shared with other engines, {@code [engine] lock_type} (podman's key) when it
     * names one other than {@code file}: berth's own file locks are the default, and always taken.
     */
    public java.util.Optional<berth.kernel.spi.lock.LockManager> sharedLocks() {
        List<String> type = config.engineOptions().get("lock_type");
        if (type == null || type.isEmpty() || type.get(0).equals("file")) {
            return java.util.Optional.empty();
        }
        synchronized (storeLock) {
            if (sharedLocks == null) {
                sharedLocks = registry.select(berth.kernel.spi.lock.LockManagerProvider.class, type.get(0))
                        .open(new berth.kernel.spi.lock.LockEnvironment(config.tmpDir(), config.engineOptions(), warnings));
            }
            return java.util.Optional.of(sharedLocks);
        }
    }

    /** The state store, opened on first use, checked against the paths it was made with, and refreshed after a reboot. */
    public StateStore state() {
        StateStore s = store;
        if (s != null) {
            return s;
        }
        synchronized (storeLock) {
            if (store == null) {
                StateStore opened = open(config.stateBackend());
                Trace.mark("state store opened");
                refresh.refreshIfRebooted(opened);
                store = opened;
            }
            return store;
        }
    }

    /** Opens the store of another backend over the same directories (state migration). */
    public StateStore open(String backend) {
        StateStoreProvider p = registry.select(StateStoreProvider.class, backend);
        return p.open(new StateStoreConfig(config.staticDir(), dbConfig(), config.stateOptions(), warnings));
    }

    /** The directories a state backend checks its database against (libpod's DBConfig). */
    private DbConfig dbConfig() {
        return new DbConfig(config.staticDir().toString(), config.tmpDir().toString(), config.root().toString(),
                config.runRoot().toString(), config.volumePath().toString());
    }

    /**
     * The image store, opened on first use: the one configured ({@code [storage] image_store}), else
     * the only one found. A distribution without one runs containers from {@code --rootfs} only.
     */
    public ImageStore images() {
        ImageStore s = imageStore;
        if (s != null) {
            return s;
        }
        synchronized (storeLock) {
            if (imageStore == null) {
                ImageStoreProvider p;
                if (config.imageStore() != null) {
                    p = registry.select(ImageStoreProvider.class, config.imageStore());
                } else {
                    List<ImageStoreProvider> all = registry.providers(ImageStoreProvider.class);
                    if (all.isEmpty()) {
                        throw new BerthException(ErrorCode.NO_SUCH_PLUGIN, "this berth has no image store plugin, so it cannot use"
                                + " images: run a root filesystem with --rootfs DIR, or install an image store plugin");
                    }
                    p = all.get(0);
                }
                imageStore = p.open(new ImageStoreConfig(config.root(), config.runRoot(), config.registriesConf(),
                        config.storageOptions(), warnings));
                Trace.mark("image store opened");
            }
            return imageStore;
        }
    }

    /** True when the distribution has an image store plugin (cheap: providers are not instantiated twice). */
    public boolean hasImageStore() {
        return config.imageStore() != null || !registry.providers(ImageStoreProvider.class).isEmpty();
    }

    /** Every network backend, made on first use with the {@code [network]} options of containers.conf. */
    public List<NetworkBackend> networkBackends() {
        List<NetworkBackend> b = networkBackends;
        if (b == null) {
            b = new ArrayList<>();
            for (NetworkBackendProvider p : registry.providers(NetworkBackendProvider.class)) {
                b.add(networkBackend(p));
            }
            networkBackends = b;
            Trace.mark("network backends made");
        }
        return b;
    }

    /**
     * The backend of the provider with this id, made without the others' (each reads its options and
     * some files: a run needs one backend, and the others' making cost it a few ms of CPU each).
     */
    public Optional<NetworkBackend> networkBackend(String id) {
        for (NetworkBackendProvider p : registry.providers(NetworkBackendProvider.class)) {
            if (p.id().equals(id)) {
                return Optional.of(networkBackend(p));
            }
        }
        return Optional.empty();
    }

    /** One backend per provider in this engine, whichever way it was asked for first. */
    private NetworkBackend networkBackend(NetworkBackendProvider p) {
        NetworkBackend made = networkBackendsById.get(p.id());
        if (made != null) {
            return made;
        }
        NetworkBackend b = p.create(new NetworkEnvironment(config.networkConfigDir(), config.runRoot().resolve("networks").resolve(p.id()),
                config.cniPluginDirs(), config.networkOptions(), warnings));
        made = networkBackendsById.putIfAbsent(p.id(), b);
        if (Trace.on()) {
            Trace.mark("network backend made: " + p.id());
        }
        return made != null ? made : b;
    }

    /** The ids of the runtime providers found. */
    public List<String> runtimeIds() {
        List<String> ids = new ArrayList<>();
        registry.providers(OciRuntimeProvider.class).forEach(p -> ids.add(p.id()));
        return ids;
    }

    /** The ids of the network providers found, for error messages. */
    public List<String> networkProviderIds() {
        List<String> ids = new ArrayList<>();
        registry.providers(NetworkBackendProvider.class).forEach(p -> ids.add(p.id()));
        return ids;
    }

    /**
     * Loads what a container command will need, for a background thread: the hook plugins (needed
     * first, by create's bundle helper), then the runtime with its binary and native code.
     */
    public void prepare(String runtimeName) {
        hookProviders();
        runtime(runtimeName).prepare();
    }

    public List<HookProvider> hookProviders() {
        return registry.providers(HookProvider.class);
    }

    @Override
    public void close() {
        ImageStore is = imageStore;
        imageStore = null;
        if (is != null) {
            is.close();
        }
        StateStore s = store;
        store = null;
        if (s != null) {
            s.close();
        }
    }

    /** What {@code info} shows of a runtime: name, binary, version, its components' versions, or why it is unusable. */
    public Map<String, Object> runtimeInfo(String name) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name == null ? config.runtime() : name);
        try {
            OciRuntime rt = runtime(name);
            m.put("path", rt.binary().toString());
            m.put("version", rt.version());
            rt.components().forEach(m::put);
        } catch (BerthException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }
}
