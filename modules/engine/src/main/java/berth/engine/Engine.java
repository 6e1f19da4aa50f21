package berth.engine;

import berth.engine.internal.Concurrently;
import berth.engine.internal.ConfigLoader;
import berth.engine.internal.ContainerPaths;
import berth.engine.internal.K8sLog;
import berth.engine.internal.LockManager;
import berth.engine.internal.NameGenerator;
import berth.engine.internal.NetNs;
import berth.engine.internal.PluginLayers;
import berth.engine.internal.Signals;
import berth.engine.internal.SpecGenerator;
import berth.engine.internal.Units;
import berth.engine.internal.UserResolver;
import berth.kernel.json.Json;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.ExecSession;
import berth.kernel.model.MountSpec;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.model.Resources;
import berth.kernel.model.RestartPolicy;
import berth.kernel.plugin.PluginInfo;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.hook.HookContext;
import berth.kernel.spi.hook.HookInvocation;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkBackendProvider;
import berth.kernel.spi.network.NetworkDefinition;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.spi.runtime.AttachResult;
import berth.kernel.spi.runtime.AttachStreams;
import berth.kernel.spi.runtime.Created;
import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.ExecResult;
import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.OciRuntimeProvider;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import berth.kernel.trace.Trace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The embeddable entry point of berth: one engine per configuration, holding the plugin registry,
 * the state store and the runtimes it has used. Implements libpod's container lifecycle (seed 000):
 * configured → created → running → stopped → exited, with pause, restart policies, dependencies and
 * cleanup. Every state change happens under the container's lock and is saved before the call returns.
 * Not thread-safe for one container from several threads of one process without the lock it takes.
 */
public final class Engine implements AutoCloseable {
    private final EngineConfig config;
    private final PluginRegistry registry;
    private final Consumer<String> warnings;
    private final LockManager locks;
    private final Map<String, OciRuntime> runtimes = new ConcurrentHashMap<>();
    /** The cgroup under which every container's own cgroup is made. */
    private static final String CGROUP_PARENT = "/berth";
    private final Map<String, ContainerHooks> hookCache = new ConcurrentHashMap<>();
    /** Bundles generated on a helper thread while create wrote the record (run only), by container ID. */
    private final Map<String, Pregenerated> pregenerated = new ConcurrentHashMap<>();
    private volatile StateStore store;
    private volatile List<NetworkBackend> networkBackends;

    private Engine(EngineConfig config, PluginRegistry registry, Consumer<String> warnings) {
        this.config = config;
        this.registry = registry;
        this.warnings = warnings;
        this.locks = new LockManager(config.tmpDir().resolve("locks"));
    }

    /** Opens an engine for the configuration (containers.conf + overrides) and environment given. */
    public static Engine open(ConfigOverrides overrides, Map<String, String> env, Consumer<String> warnings) {
        return open(ConfigLoader.load(overrides, env), warnings);
    }

    public static Engine open(EngineConfig config, Consumer<String> warnings) {
        PluginRegistry registry = PluginRegistry.of(PluginLayers.layerFor(config.pluginDirs(), warnings), warnings);
        return new Engine(config, registry, warnings);
    }

    public EngineConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- plugins

    /** Every plugin found, by SPI, for {@code berth info}. */
    public List<PluginInfo> plugins() {
        List<PluginInfo> out = new ArrayList<>();
        out.addAll(registry.describe(OciRuntimeProvider.class));
        out.addAll(registry.describe(StateStoreProvider.class));
        out.addAll(registry.describe(NetworkBackendProvider.class));
        out.addAll(registry.describe(HookProvider.class));
        return out;
    }

    /** Problems the registry met (a provider that failed to load), for {@code berth info}. */
    public List<String> pluginProblems() {
        return registry.problems();
    }

    /** The runtime of the given name (the configured default when null), checked to exist. */
    public OciRuntime runtime(String name) {
        String n = name == null ? config.runtime() : name;
        return runtimes.computeIfAbsent(n, k -> {
            OciRuntimeProvider p = registry.select(OciRuntimeProvider.class, k);
            Trace.mark("runtime provider selected");
            return p.create(runtimeEnvironment(k));
        });
    }

    /**
     * Runs the JSON codec once on a background thread while the caller parses its arguments and
     * opens the engine: its classes' first use (under a millisecond now that the codec is the
     * kernel's own) then costs the main path nothing. Every command but version and help reads JSON.
     */
    public static void warmUpAsync() {
        Concurrently.run("berth-warm-up", () -> {
            Trace.mark("warm-up: start");
            Json.warmUp();
            Trace.mark("warm-up: JSON ready");
        });
    }

    /**
     * Starts preparing, on a background thread, what a container command will need: the runtime
     * (its plugin, binary and native code) and the hook plugins. The calling thread goes on with its
     * own work; errors are left for the main path to report.
     */
    public void prepareAsync(String runtimeName) {
        Concurrently.run("berth-prepare", () -> {
            try {
                Trace.mark("prepare: start");
                registry.providers(HookProvider.class); // hook plugins, needed first (create's bundle helper)
                Trace.mark("prepare: hook providers loaded");
                OciRuntime rt = runtime(runtimeName);
                Trace.mark("prepare: runtime found");
                rt.prepare();
                Trace.mark("prepare: runtime prepared");
            } catch (RuntimeException e) {
                // reported, if real, when the main path uses the runtime
            }
        });
    }

    /**
     * What {@code info} shows of a runtime (null: the configured one): name, binary, its version and
     * its monitor's version, or the error that makes it unusable.
     */
    public Map<String, Object> runtimeInfo(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name == null ? config.runtime() : name);
        try {
            OciRuntime rt = runtime(name);
            m.put("path", rt.binary().toString());
            m.put("version", rt.version());
            m.put("monitor", rt.monitorVersion());
        } catch (BerthException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }

    private RuntimeEnvironment runtimeEnvironment(String name) {
        Path tmp = config.tmpDir();
        return new RuntimeEnvironment(config.runtimePaths().getOrDefault(name, List.of()), config.conmonPaths(),
                config.runRoot().resolve("runtime").resolve(name), tmp.resolve("exits"), tmp.resolve("persist"),
                tmp.resolve("socket"), config.logLevel());
    }

    /** The state store, opened on first use (and checked against the paths it was created with). */
    public StateStore state() {
        StateStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) {
                    Trace.mark("opening state store");
                    StateStoreProvider p = registry.select(StateStoreProvider.class, config.stateBackend());
                    StateStore opened = p.open(new StateStoreConfig(config.staticDir(), dbConfig(), config.stateOptions(), warnings));
                    Trace.mark("state store opened");
                    refreshAfterReboot(opened);
                    store = opened;
                }
                s = store;
            }
        }
        return s;
    }

    /**
     * Seed 004 refresh: the run root is volatile, so a missing "alive" file there means the machine
     * rebooted (or the run root was wiped) since berth last ran. Every container's runtime state is
     * then stale: reset it as libpod's resetState does (PIDs gone; anything but exited becomes
     * configured), once, under a lock, before any command looks at it.
     */
    private void refreshAfterReboot(StateStore s) {
        Path alive = config.tmpDir().resolve("alive");
        if (Files.exists(alive)) {
            return;
        }
        try (LockManager.Held ignored = locks.lock("alive.lock")) {
            if (Files.exists(alive)) {
                return;
            }
            for (Container c : s.allContainers()) {
                ContainerState st = c.state();
                if (st.pid() == 0 && st.conmonPid() == 0 && st.netNsPath() == null
                        && (st.status() == ContainerStatus.CONFIGURED || st.status() == ContainerStatus.EXITED)) {
                    continue;
                }
                ContainerStatus next = st.status() == ContainerStatus.EXITED ? ContainerStatus.EXITED : ContainerStatus.CONFIGURED;
                s.saveContainer(c.withState(st.toBuilder().status(next).pid(0).conmonPid(0).netNsPath(null)
                        .networkStatus(Map.of()).clearExecSessions().stoppedByUser(false).restartPolicyMatch(false)
                        .restartCount(0).build()));
            }
            Files.createDirectories(alive.getParent());
            Files.writeString(alive, Instant.now().toString());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot record that berth's state was refreshed in " + alive + ": " + e.getMessage(), e);
        }
    }

    public DbConfig dbConfig() {
        return new DbConfig(config.staticDir().toString(), config.tmpDir().toString(), config.root().toString(),
                config.runRoot().toString(), config.root().resolve("volumes").toString());
    }

    private List<NetworkBackend> networkBackends() {
        List<NetworkBackend> b = networkBackends;
        if (b == null) {
            b = new ArrayList<>();
            for (NetworkBackendProvider p : registry.providers(NetworkBackendProvider.class)) {
                b.add(p.create(new NetworkEnvironment(config.networkConfigDir(), config.runRoot().resolve("networks").resolve(p.id()),
                        config.cniPluginDirs(), Map.of())));
            }
            networkBackends = b;
        }
        return b;
    }

    /** The backend that set a container up (its status names the backend's id, not a mode). */
    private NetworkBackend backendById(String id) {
        for (NetworkBackend b : networkBackends()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "network backend \"" + id
                + "\" that set up this container is not installed; its network cannot be torn down");
    }

    private NetworkBackend backendFor(String mode) {
        for (NetworkBackend b : networkBackends()) {
            if (b.handles(mode)) {
                return b;
            }
        }
        List<String> ids = new ArrayList<>();
        registry.providers(NetworkBackendProvider.class).forEach(p -> ids.add(p.id()));
        List<String> names = new ArrayList<>();
        try {
            networks().forEach(d -> names.add(d.name()));
        } catch (BerthException e) {
            // the list is a hint only
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "network \"" + mode + "\" not found: no such network (networks: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ") and no network backend handles that mode (backends: "
                + (ids.isEmpty() ? "none" : String.join(", ", ids)) + ")");
    }

    // ---------------------------------------------------------------- create

    /** Creates a container in the state store (status "created"/configured); nothing runs yet. */
    public Container create(CreateOptions o) {
        return create(o, false);
    }

    /**
     * As {@link #create(CreateOptions)}, for a container that this process starts next ({@code run}):
     * while the record is written, a helper thread resolves the hooks and writes the OCI bundle that
     * init would write, when neither depends on network set-up. init then only waits for it.
     */
    public Container createToStart(CreateOptions o) {
        return create(o, true);
    }

    private Container create(CreateOptions o, boolean startsNext) {
        if (o.rootfs() == null || o.rootfs().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "no root filesystem given: use --rootfs DIR (images are not supported yet)");
        }
        Path rootfs = Path.of(o.rootfs()).toAbsolutePath().normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "rootfs " + rootfs + " does not exist or is not a directory");
        }
        if (o.command().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "no command specified: give the command to run after the rootfs");
        }
        String runtimeName = o.runtime() == null ? config.runtime() : o.runtime();
        Trace.mark("create: validated");
        runtime(runtimeName);
        Trace.mark("create: runtime found"); // fails now, listing the runtimes found, rather than at start
        String id = newId();
        String name = o.name();
        if (name == null || name.isEmpty()) {
            do {
                name = NameGenerator.generate();
            } while (state().findContainer(name).isPresent());
        } else if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid container name \"" + name
                    + "\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        List<MountSpec> mounts = new ArrayList<>();
        for (String v : o.volumes()) {
            mounts.add(MountSpec.parseVolume(v));
        }
        for (String t : o.tmpfs()) {
            mounts.add(MountSpec.parseTmpfs(t));
        }
        List<PortMapping> ports = new ArrayList<>();
        for (String p : o.publish()) {
            ports.add(PortMapping.parse(p));
        }
        NetworkSpec net = networkSpec(o.network() == null ? config.defaultNetwork() : o.network(), ports);
        if (net.needsBackend()) {
            backendFor(net.mode()); // unknown network: refuse at create, as podman does
        }
        List<String> deps = new ArrayList<>();
        for (String r : o.requires()) {
            for (String part : r.split(",")) {
                if (!part.isBlank()) {
                    deps.add(state().lookupContainer(part.trim()).id());
                }
            }
        }
        if (o.user() != null && !o.user().isEmpty()) {
            UserResolver.resolve(rootfs, o.user(), name); // an unknown user fails at create
        }
        ContainerPaths paths = ContainerPaths.of(config, id);
        ContainerConfig cfg = ContainerConfig.builder().id(id).name(name).rootfs(rootfs.toString()).command(o.command())
                .env(o.env()).workingDir(o.workingDir() == null ? "/" : o.workingDir()).user(o.user() == null ? "" : o.user())
                .hostname(o.hostname() == null ? "" : o.hostname()).terminal(o.terminal()).stdin(o.interactive())
                .labels(o.labels()).annotations(o.annotations()).mounts(mounts).network(net)
                .restartPolicy(RestartPolicy.parse(o.restart()))
                .stopSignal(o.stopSignal() == null ? 15 : Signals.parse(o.stopSignal()))
                .stopTimeout(o.stopTimeout() == null ? 10 : o.stopTimeout())
                .logDriver(o.logDriver() == null ? "k8s-file" : checkLogDriver(o.logDriver()))
                .logPath(paths.logPath().toString()).runtime(runtimeName)
                .resources(new Resources(o.memory() == null ? 0 : Units.parseBytes(o.memory()),
                        o.cpus() == null ? 0 : Units.parseNanoCpus(o.cpus()), o.pidsLimit() == null ? 0 : o.pidsLimit()))
                .dependencies(deps).autoRemove(o.autoRemove()).hooksDirs(config.hooksDirs()).createdAt(Instant.now()).build();
        if (cfg.autoRemove() && cfg.restartPolicy().kind() != RestartPolicy.Kind.NO) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the --rm option conflicts with --restart");
        }
        Container c = new Container(cfg, ContainerState.configured());
        Trace.mark("create: config built");
        Pregenerated pre = startsNext && bundleIndependentOfNetwork(cfg) ? Pregenerated.start(this, c) : null;
        try {
            state().addContainer(c);
        } catch (RuntimeException e) {
            if (pre != null) {
                pre.discard(this); // the record was refused (a name in use, say): its bundle goes too
            }
            throw e;
        }
        if (pre != null) {
            pregenerated.put(id, pre);
        }
        Trace.mark("create: record added");
        return c;
    }

    private static String checkLogDriver(String d) {
        if (!d.equals("k8s-file") && !d.equals("none")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unsupported log driver \"" + d + "\": use k8s-file or none");
        }
        return d;
    }

    private static NetworkSpec networkSpec(String mode, List<PortMapping> ports) {
        String m = mode;
        Map<String, String> opts = new LinkedHashMap<>();
        int colon = mode.indexOf(':');
        if (colon >= 0) {
            m = mode.substring(0, colon);
            for (String kv : mode.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                opts.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        if ((m.equals("none") || m.equals("host")) && !ports.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot publish ports with --network " + m);
        }
        List<String> networks = m.equals("none") || m.equals("host") || m.equals("slirp4netns") ? List.of()
                : List.of(m.equals("bridge") ? "berth" : m);
        return new NetworkSpec(m, networks, opts, ports);
    }

    /** 64 hex digits from /dev/urandom: SecureRandom's provider lookup costs ~10 ms at start-up. */
    private static String newId() {
        byte[] b = new byte[32];
        try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, 32) != 32) {
                throw new IOException("short read");
            }
        } catch (IOException e) {
            new SecureRandom().nextBytes(b);
        }
        return HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- lookups and sync

    /** Finds a container by name, ID or unique ID prefix, its state brought up to date. */
    public Container container(String idOrName) {
        return sync(state().lookupContainer(idOrName));
    }

    /** Every container, each brought up to date. */
    public List<Container> containers() {
        List<Container> all = state().allContainers();
        List<Container> out = new ArrayList<>(all.size());
        for (Container c : all) {
            try {
                out.add(sync(c));
            } catch (BerthException e) {
                if (e.code() != ErrorCode.NO_SUCH_CONTAINER) {
                    warnings.accept(e.getMessage());
                    out.add(c);
                }
            }
        }
        return out;
    }

    private RuntimeContainer rc(Container c) {
        ContainerPaths p = ContainerPaths.of(config, c.id());
        return new RuntimeContainer(c.id(), c.name(), p.bundleDir(), p.runDir(), c.config().logDriver(),
                c.config().logPath() == null ? null : Path.of(c.config().logPath()), c.config().terminal(),
                c.config().stdin(), exitCommand(c), c.state().pid(), c.state().conmonPid(), c.config().stopSignal());
    }

    /**
     * Seed 000 syncContainer: a running, paused or stopping container whose monitor has written the
     * exit file is now stopped, with its exit code and OOM flag. Saved under the lock.
     */
    private Container sync(Container c) {
        if (!c.status().isActive()) {
            return c;
        }
        OciRuntime rt = runtime(c.config().runtime());
        RuntimeContainer r = rc(c);
        if (rt.exitStatus(r).isEmpty()) {
            // read the exit file again after finding conmon gone: conmon writes it just before it exits
            if (c.state().conmonPid() > 0 && !rt.monitorAlive(r) && rt.exitStatus(r).isEmpty()) {
                // conmon is gone without an exit file (killed, or the host rebooted): the exit code is lost
                return withLock(c.id(), () -> {
                    Container fresh = state().container(c.id());
                    if (!fresh.status().isActive()) {
                        return fresh;
                    }
                    Container s = fresh.withState(fresh.state().toBuilder().status(ContainerStatus.STOPPED).pid(0).conmonPid(0)
                            .exitCode(-1).exited(true).finishedAt(Instant.now()).build());
                    state().saveContainer(s);
                    return s;
                });
            }
            return c;
        }
        return withLock(c.id(), () -> {
            Container fresh = state().container(c.id());
            return applyExit(fresh);
        });
    }

    /** Under the lock: applies the exit file, if any, to a running/paused/stopping container. */
    private Container applyExit(Container c) {
        ContainerStatus old = c.status();
        if (!old.isActive()) {
            return c;
        }
        Optional<ExitStatus> exit = runtime(c.config().runtime()).exitStatus(rc(c));
        if (exit.isEmpty()) {
            return c;
        }
        ExitStatus e = exit.get();
        boolean match = c.config().restartPolicy().kind() != RestartPolicy.Kind.NO
                && (old == ContainerStatus.RUNNING || old == ContainerStatus.PAUSED) && !c.state().stoppedByUser();
        Container s = c.withState(stopped(c, e).restartPolicyMatch(match || c.state().restartPolicyMatch()).build());
        state().saveContainer(s);
        return s;
    }

    /** The state of a container whose process exited as the monitor reported. */
    private static ContainerState.Builder stopped(Container c, ExitStatus e) {
        return c.state().toBuilder().status(ContainerStatus.STOPPED).pid(0).conmonPid(0)
                .exitCode(e.exitCode()).oomKilled(e.oomKilled()).exited(true).finishedAt(e.finishedAt());
    }

    private interface Locked<T> {
        T run();
    }

    private <T> T withLock(String id, Locked<T> body) {
        try (LockManager.Held ignored = locks.lock(id)) {
            return body.run();
        }
    }

    private static BerthException improper(Container c, String what) {
        return new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "container " + c.name() + " (" + c.config().shortId()
                + ") is " + c.status().display() + (what.isEmpty() ? "" : ": " + what));
    }

    // ---------------------------------------------------------------- init / start

    /** Seed 000 init: network, spec, runtime create. Container must be configured or exited. */
    private Container init(Container c, boolean retainRetries) {
        OciRuntime rt = runtime(c.config().runtime());
        RuntimeContainer r = rc(c);
        rt.clearExitStatus(r);
        ContainerPaths paths = ContainerPaths.of(config, c.id());
        Container cur = c;
        // a configuration never changes once created, so the bundle made for this ID is this one's
        Pregenerated pre = pregenerated.remove(c.id());
        ContainerHooks hooks = pre != null ? pre.await() : hooksFor(c.config(), true);
        String netns = null;
        Map<String, List<String>> hostEntries = new LinkedHashMap<>();
        List<String> nameservers = new ArrayList<>();
        if (!c.config().network().needsBackend() && !c.config().network().isHost() && rt.features().needsNetnsPath()) {
            // a loopback-only namespace for runtimes that cannot create one themselves
            netns = NetNs.create(config.runRoot(), c.id()).toString();
            cur = cur.withState(cur.state().toBuilder().netNsPath(netns).build());
            state().saveContainer(cur);
        }
        if (c.config().network().needsBackend()) {
            NetworkBackend b = backendFor(c.config().network().mode()); // a network removed since create fails here
            Path ns = NetNs.create(config.runRoot(), c.id());
            netns = ns.toString();
            cur = cur.withState(cur.state().toBuilder().netNsPath(netns).build());
            state().saveContainer(cur); // recorded before setup, so a crash mid-setup is torn down later
            NetworkStatus st;
            try {
                st = b.setup(new NetworkRequest(c.id(), c.name(), hostname(c.config()), ns, c.config().network()));
            } catch (RuntimeException e) {
                try {
                    b.teardown(new NetworkRequest(c.id(), c.name(), hostname(c.config()), ns, c.config().network()),
                            new NetworkStatus(b.id(), Map.of(), Map.of()));
                } catch (RuntimeException ignored) {
                    // the setup error is the one to report
                }
                NetNs.remove(ns);
                cur = cur.withState(cur.state().toBuilder().netNsPath(null).build());
                state().saveContainer(cur);
                throw e;
            }
            Map<String, Object> ns2 = new LinkedHashMap<>();
            ns2.put("backend", st.backend());
            ns2.put("addresses", st.addresses());
            ns2.put("details", st.details());
            cur = cur.withState(cur.state().toBuilder().networkStatus(ns2).build());
            state().saveContainer(cur);
            for (List<String> ips : st.addresses().values()) {
                for (String ip : ips) {
                    hostEntries.put(stripPrefix(ip), List.of(hostname(c.config()), c.name()));
                }
            }
            hostEntries.putAll(peerHosts(cur));
            nameservers.addAll(nameservers(st.details()));
        }
        List<String> applied = hooks.applied();
        Trace.mark("init: hooks and network ready");
        if (pre == null || netns != null || !hostEntries.isEmpty() || !nameservers.isEmpty()) {
            Map<String, Object> spec = SpecGenerator.generate(c.config(), paths,
                    new SpecGenerator.Extras(netns, hostEntries, hooks.spec(), CGROUP_PARENT, nameservers));
            SpecGenerator.write(spec, paths.bundleDir());
        }
        refreshHosts(cur);
        runInProcessHooks(hooks, HookStage.PRESTART, cur, 0, 0);
        runInProcessHooks(hooks, HookStage.CREATE_RUNTIME, cur, 0, 0);
        Trace.mark("init: spec written");
        Created created;
        try {
            created = rt.create(r);
        } catch (BerthException e) {
            throw hooks.explain(e);
        }
        Trace.mark("init: runtime create done (conmon reported pid)");
        ContainerState.Builder b = cur.state().toBuilder().status(ContainerStatus.CREATED).pid(created.pid())
                .conmonPid(created.monitorPid()).exitCode(0).exited(false).oomKilled(false).stoppedByUser(false)
                .restartPolicyMatch(false).appliedHooks(applied).clearExecSessions();
        if (!retainRetries) {
            b.restartCount(0);
        }
        cur = cur.withState(b.build());
        state().saveContainer(cur);
        Trace.mark("init: created saved");
        // saved as created first: when a hook fails here, cleanup deletes the container from the runtime
        runInProcessHooks(hooks, HookStage.CREATE_CONTAINER, cur, created.pid(), 0);
        return cur;
    }

    /** Whether init's bundle for this config is known before network set-up (no backend, no netns path). */
    private boolean bundleIndependentOfNetwork(ContainerConfig c) {
        return !c.network().needsBackend() && (c.network().isHost() || !runtime(c.runtime()).features().needsNetnsPath());
    }

    /** The hooks and the bundle of a container, being prepared on a helper thread (see createToStart). */
    private static final class Pregenerated {
        private final Path containerDir;
        private volatile ContainerHooks hooks;
        private Concurrently work;

        private Pregenerated(Path containerDir) {
            this.containerDir = containerDir;
        }

        static Pregenerated start(Engine e, Container c) {
            ContainerPaths paths = ContainerPaths.of(e.config, c.id());
            Pregenerated p = new Pregenerated(paths.containerDir());
            p.work = Concurrently.run("berth-bundle", () -> {
                ContainerHooks h = e.hooksFor(c.config(), true);
                SpecGenerator.write(SpecGenerator.generate(c.config(), paths,
                        new SpecGenerator.Extras(null, Map.of(), h.spec(), CGROUP_PARENT, List.of())), paths.bundleDir());
                Trace.mark("create: bundle written by the helper");
                p.hooks = h;
            });
            return p;
        }

        /** Waits for the helper; its hooks, or its failure rethrown. */
        ContainerHooks await() {
            work.await();
            return hooks;
        }

        /** Waits for the helper and deletes what it wrote (the record it was for was refused). */
        void discard(Engine e) {
            quietly();
            e.deleteTree(containerDir);
        }

        /** Waits for the helper, whatever became of it (the container is being removed). */
        void quietly() {
            try {
                work.await();
            } catch (RuntimeException ignored) {
                // the container goes; what the helper failed at no longer matters
            }
        }
    }

    private static String hostname(ContainerConfig c) {
        return c.hostname() == null || c.hostname().isEmpty() ? c.shortId() : c.hostname();
    }

    /**
     * Name servers a backend provides: {@code details.dns} (slirp4netns: an address or a list), and the
     * {@code dns.nameservers} of each CNI network's result.
     */
    private static List<String> nameservers(Map<String, Object> details) {
        List<String> out = new ArrayList<>();
        Object dns = details.get("dns");
        if (dns instanceof String && !((String) dns).isBlank()) {
            out.add((String) dns);
        } else if (dns instanceof List) {
            ((List<?>) dns).forEach(x -> out.add(String.valueOf(x)));
        }
        if (details.get("networks") instanceof List) {
            for (Object n : (List<?>) details.get("networks")) {
                if (n instanceof Map && ((Map<?, ?>) n).get("dns") instanceof Map
                        && ((Map<?, ?>) ((Map<?, ?>) n).get("dns")).get("nameservers") instanceof List) {
                    for (Object x : (List<?>) ((Map<?, ?>) ((Map<?, ?>) n).get("dns")).get("nameservers")) {
                        if (!out.contains(String.valueOf(x))) {
                            out.add(String.valueOf(x));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * /etc/hosts lines for the other containers on this container's networks: those with addresses in
     * their state (set at network setup, cleared at teardown, whatever the status in between).
     */
    private Map<String, List<String>> peerHosts(Container self) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> mine = self.config().network().networks();
        if (mine.isEmpty()) {
            return out;
        }
        for (Container o : state().allContainers()) {
            if (o.id().equals(self.id())) {
                continue;
            }
            Map<String, List<String>> addrs = addresses(o);
            for (Map.Entry<String, List<String>> e : addrs.entrySet()) {
                if (mine.contains(e.getKey())) {
                    for (String ip : e.getValue()) {
                        out.put(stripPrefix(ip), List.of(o.name(), hostname(o.config())));
                    }
                }
            }
        }
        return out;
    }

    private static String stripPrefix(String ip) {
        return ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> addresses(Container c) {
        Object a = c.state().networkStatus().get("addresses");
        if (!(a instanceof Map)) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        ((Map<String, Object>) a).forEach((k, v) -> {
            List<String> ips = new ArrayList<>();
            if (v instanceof List) {
                ((List<Object>) v).forEach(x -> ips.add(String.valueOf(x)));
            }
            out.put(k, ips);
        });
        return out;
    }

    /** Every read-modify-write of a container's /etc/hosts happens under this lock (all berth processes). */
    private static final String HOSTS_LOCK = "network-hosts";

    /**
     * Once the container's own hosts file is written and its addresses saved, under the hosts lock: its
     * peer lines rebuilt from the state, and its line added to each peer's file. Containers set up at
     * the same time each do this after saving their addresses, so whichever comes second sees the other.
     */
    private void refreshHosts(Container self) {
        Map<String, List<String>> mine = addresses(self);
        if (mine.isEmpty() || self.config().network().networks().isEmpty()) {
            return;
        }
        Set<String> own = new java.util.HashSet<>();
        mine.values().forEach(ips -> ips.forEach(ip -> own.add(stripPrefix(ip))));
        try (LockManager.Held ignored = locks.lock(HOSTS_LOCK)) {
            Path hosts = ContainerPaths.of(config, self.id()).bundleDir().resolve("hosts");
            if (Files.exists(hosts)) {
                try {
                    List<String> lines = new ArrayList<>();
                    for (String l : Files.readAllLines(hosts)) {
                        String ip = l.trim().split("\\s+")[0];
                        if (ip.isEmpty() || ip.startsWith("#") || ip.startsWith("127.") || ip.equals("::1") || own.contains(ip)) {
                            lines.add(l);
                        }
                    }
                    peerHosts(self).forEach((ip, names) -> lines.add(ip + "\t" + String.join(" ", names)));
                    Files.write(hosts, lines, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
                } catch (IOException ex) {
                    warnings.accept("cannot update /etc/hosts of container " + self.name() + ": " + ex.getMessage());
                }
            }
            updatePeerHosts(self, true);
        }
    }

    /** Adds (or removes) this container's line in the /etc/hosts of its peers (containers with addresses on its networks). */
    private void updatePeerHosts(Container self, boolean add) {
        // only the named networks it joined: slirp4netns containers all have 10.0.2.100 and are nobody's peers
        Map<String, List<String>> mine = new LinkedHashMap<>(addresses(self));
        mine.keySet().retainAll(self.config().network().networks());
        if (mine.isEmpty()) {
            return;
        }
        try (LockManager.Held ignored = locks.lock(HOSTS_LOCK)) {
            updatePeerHostsLocked(self, mine, add);
        }
    }

    private void updatePeerHostsLocked(Container self, Map<String, List<String>> mine, boolean add) {
        for (Container o : state().allContainers()) {
            if (o.id().equals(self.id())) {
                continue;
            }
            Map<String, List<String>> theirs = addresses(o);
            for (Map.Entry<String, List<String>> e : mine.entrySet()) {
                if (!theirs.containsKey(e.getKey())) {
                    continue;
                }
                Path hosts = ContainerPaths.of(config, o.id()).bundleDir().resolve("hosts");
                if (!Files.exists(hosts)) {
                    continue; // not written yet: the peer rebuilds its own lines from the state (refreshHosts)
                }
                try {
                    List<String> lines = new ArrayList<>(Files.readAllLines(hosts));
                    for (String ip : e.getValue()) {
                        String entry = stripPrefix(ip) + "\t" + self.name() + " " + hostname(self.config());
                        lines.removeIf(l -> l.startsWith(stripPrefix(ip) + "\t"));
                        if (add) {
                            lines.add(entry);
                        }
                    }
                    // rewrite in place: the file is bind-mounted, a rename would not be seen inside
                    Files.write(hosts, lines, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
                } catch (IOException ex) {
                    warnings.accept("cannot update /etc/hosts of container " + o.name() + ": " + ex.getMessage());
                }
            }
        }
    }

    /** One in-process hook and the id of the hook provider that gave it. */
    private record ProvidedHook(String provider, InProcessHook hook) {
        String label() {
            return hook.name() + " (" + provider + ")";
        }
    }

    /**
     * The hooks of one container from every hook provider: spec hooks for config.json, in-process
     * hooks for the engine to call, what {@code inspect} shows of them ({@code "stage: hook (provider)"}
     * in stage order) and the problems the providers reported.
     */
    private record ContainerHooks(List<SpecHook> spec, List<ProvidedHook> inProcess, List<String> applied,
                                  List<String> warnings) {
        static final ContainerHooks NONE = new ContainerHooks(List.of(), List.of(), List.of(), List.of());

        /**
         * A runtime create that failed in one of the hooks it runs: the error names the hook and the
         * file it came from (runc says only "error running hook #0"; crun names the path, not the file).
         */
        BerthException explain(BerthException e) {
            String msg = String.valueOf(e.getMessage());
            List<SpecHook> early = new ArrayList<>();
            for (SpecHook h : spec) {
                if (h.stage().compareTo(HookStage.CREATE_CONTAINER) <= 0) {
                    early.add(h);
                }
            }
            List<SpecHook> named = new ArrayList<>();
            for (SpecHook h : early) {
                if (msg.contains(h.path()) && !named.contains(h)) {
                    named.add(h);
                }
            }
            if (named.isEmpty() && !msg.toLowerCase(java.util.Locale.ROOT).contains("hook")) {
                return e;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("hook #(\\d+)").matcher(msg);
            if (named.isEmpty() && m.find()) {
                int index = Integer.parseInt(m.group(1));
                for (HookStage st : HookStage.values()) {
                    List<SpecHook> of = early.stream().filter(h -> h.stage() == st).toList();
                    if (index < of.size()) {
                        named.add(of.get(index));
                    }
                }
            }
            if (named.isEmpty()) {
                named = early;
            }
            if (named.isEmpty()) {
                return e;
            }
            List<String> names = new ArrayList<>();
            for (SpecHook h : named) {
                names.add(h.stage().specName() + " hook " + h.path()
                        + (h.source() == null || h.source().isEmpty() ? "" : " from " + h.source()));
            }
            String detail = msg.endsWith(": " + e.code().text()) ? msg.substring(0, msg.length() - e.code().text().length() - 2) : msg;
            return new BerthException(ErrorCode.HOOK_FAILED, detail.strip() + (names.size() == 1 ? " (failing hook: " : " (the failing hook is one of: ")
                    + String.join("; ", names) + ")", e);
        }
    }

    /**
     * Asks every hook provider for the hooks of {@code c}. With {@code report} (at init, where the
     * hooks are chosen) the providers' warnings are shown and a provider that throws fails the start;
     * later (start, cleanup) it is a warning and its hooks are skipped.
     */
    private ContainerHooks hooksFor(ContainerConfig c, boolean report) {
        if (!report) {
            // within one command the hooks chosen at init serve start and cleanup too (one read of the hook dirs)
            ContainerHooks known = hookCache.get(c.id());
            if (known != null) {
                return known;
            }
        }
        ContainerHooks resolved = resolveHooks(c, report);
        hookCache.put(c.id(), resolved);
        return resolved;
    }

    private ContainerHooks resolveHooks(ContainerConfig c, boolean report) {
        List<HookProvider> providers = registry.providers(HookProvider.class);
        if (providers.isEmpty()) {
            return ContainerHooks.NONE;
        }
        List<Path> dirs = new ArrayList<>();
        c.hooksDirs().forEach(d -> dirs.add(Path.of(d)));
        HookContext context = new HookContext(c, dirs);
        List<SpecHook> spec = new ArrayList<>();
        List<String> specProviders = new ArrayList<>();
        List<ProvidedHook> inProc = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (HookProvider p : providers) {
            HookSet s;
            try {
                s = p.hooksFor(context);
            } catch (RuntimeException e) {
                String msg = "hook provider " + p.id() + " failed for container " + c.name() + ": " + e;
                if (report) {
                    throw new BerthException(ErrorCode.HOOK_FAILED, msg, e);
                }
                warnings.accept(msg + "; its hooks are skipped");
                continue;
            }
            if (s == null) {
                continue;
            }
            for (SpecHook h : s.specHooks()) {
                spec.add(h);
                specProviders.add(p.id());
            }
            s.inProcess().forEach(h -> inProc.add(new ProvidedHook(p.id(), h)));
            problems.addAll(s.warnings());
        }
        if (report) {
            problems.forEach(warnings);
        }
        List<String> applied = new ArrayList<>();
        for (HookStage st : HookStage.values()) {
            for (int i = 0; i < spec.size(); i++) {
                SpecHook h = spec.get(i);
                if (h.stage() == st) {
                    applied.add(st.specName() + ": " + (h.source() == null || h.source().isEmpty() ? h.path() : h.source())
                            + " (" + specProviders.get(i) + ")");
                }
            }
            for (ProvidedHook h : inProc) {
                if (h.hook().stages().contains(st)) {
                    applied.add(st.specName() + ": " + h.label());
                }
            }
        }
        return new ContainerHooks(spec, inProc, applied, problems);
    }

    /**
     * Calls the in-process hooks of {@code stage}, in order. Up to startContainer a failure fails the
     * stage (the container does not start) and the error names the hook; at poststart and poststop,
     * as the runtime spec says, a failure is a warning and the other hooks still run.
     */
    private void runInProcessHooks(ContainerHooks hooks, HookStage stage, Container c, int pid, int exitCode) {
        boolean fatal = stage.compareTo(HookStage.START_CONTAINER) <= 0;
        for (ProvidedHook ph : hooks.inProcess()) {
            InProcessHook h = ph.hook();
            if (!h.stages().contains(stage)) {
                continue;
            }
            try {
                h.run(new HookInvocation(stage, c.config(), ContainerPaths.of(config, c.id()).bundleDir(), pid, exitCode,
                        switch (stage) {
                            case PRESTART, CREATE_RUNTIME -> "creating";
                            case CREATE_CONTAINER, START_CONTAINER -> "created";
                            case POSTSTART -> "running";
                            case POSTSTOP -> "stopped";
                        }));
            } catch (Exception e) {
                String msg = stage.specName() + " hook " + ph.label() + " failed for container " + c.name() + ": "
                        + (e.getMessage() == null ? e.toString() : e.getMessage());
                if (fatal) {
                    throw new BerthException(ErrorCode.HOOK_FAILED, msg, e);
                }
                warnings.accept(msg);
            }
        }
    }

    /** Seed 000 start: the container must be created. */
    private Container startCreated(Container c) {
        OciRuntime rt = runtime(c.config().runtime());
        ContainerHooks hooks = hooksFor(c.config(), false);
        runInProcessHooks(hooks, HookStage.START_CONTAINER, c, c.state().pid(), 0);
        Trace.mark("start: attached, starting");
        Container cur = c.withState(c.state().toBuilder().status(ContainerStatus.RUNNING).startedAt(Instant.now()).build());
        // the running state is written while the runtime starts the process (each takes a few ms); a
        // crash in between leaves a record that says running for a container that is only created,
        // which stop and rm handle alike
        Concurrently saving = Concurrently.run("berth-save", () -> state().saveContainer(cur));
        try {
            rt.start(rc(c));
        } catch (RuntimeException e) {
            try {
                saving.await();
                state().saveContainer(c); // back to created: it never ran
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
        Trace.mark("start: runtime start done");
        saving.await();
        Trace.mark("start: running saved");
        // again now that it runs: a peer that started at the same moment skipped it while it was only created
        updatePeerHosts(cur, true);
        runInProcessHooks(hooks, HookStage.POSTSTART, cur, cur.state().pid(), 0); // failures are warnings
        return cur;
    }

    /** prepareToStart + init/reinit, under the lock; leaves the container created. */
    private Container prepareToStart(Container c, boolean recursive) {
        if (!c.status().canStart()) {
            throw improper(c, "it must be created or stopped to be started");
        }
        if (recursive) {
            startDependencies(c);
        } else {
            List<String> notRunning = dependenciesNotRunning(c);
            if (!notRunning.isEmpty()) {
                throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "some dependencies of container " + c.name()
                        + " are not started: " + String.join(",", notRunning));
            }
        }
        try {
            if (c.status() == ContainerStatus.STOPPED) {
                c = cleanupRuntime(c);
            }
            if (c.status() == ContainerStatus.CONFIGURED || c.status() == ContainerStatus.EXITED) {
                c = init(c, false);
            }
            return c;
        } catch (RuntimeException e) {
            cleanupQuietly(c.id());
            throw e;
        }
    }

    private List<String> dependenciesNotRunning(Container c) {
        List<String> out = new ArrayList<>();
        for (String d : c.config().dependencies()) {
            Container dep = sync(state().container(d));
            if (dep.status() != ContainerStatus.RUNNING) {
                out.add(dep.name());
            }
        }
        return out;
    }

    /** Starts every dependency that is not running, dependencies first; a cycle is an error. */
    private void startDependencies(Container c) {
        List<String> order = new ArrayList<>();
        collectDependencies(c, new LinkedHashSet<>(), new LinkedHashSet<>(), order);
        for (String id : order) {
            Container dep = sync(state().container(id));
            if (dep.status() == ContainerStatus.RUNNING) {
                continue;
            }
            try {
                start(id);
            } catch (BerthException e) {
                throw new BerthException(e.code(), "starting dependency " + dep.name() + " of container " + c.name() + ": " + e.getMessage(), e);
            }
        }
    }

    private void collectDependencies(Container c, Set<String> visiting, Set<String> done, List<String> order) {
        for (String d : c.config().dependencies()) {
            if (done.contains(d)) {
                continue;
            }
            if (!visiting.add(d)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "dependency cycle through container " + d);
            }
            collectDependencies(state().container(d), visiting, done, order);
            visiting.remove(d);
            done.add(d);
            order.add(d);
        }
    }

    /** Starts a container (and its dependencies); returns it running. */
    public Container start(String idOrName) {
        Container c0 = container(idOrName);
        if (c0.status() == ContainerStatus.RUNNING) {
            throw improper(c0, "it is already running");
        }
        if (c0.status() == ContainerStatus.PAUSED) {
            throw improper(c0, "cannot start a paused container, unpause it");
        }
        if (!c0.status().canStart()) {
            throw improper(c0, "it must be created or stopped to be started");
        }
        startDependencies(c0);
        return withLock(c0.id(), () -> {
            Container c = applyExit(state().container(c0.id()));
            if (c.status() == ContainerStatus.RUNNING) {
                return c;
            }
            c = prepareToStart(c, false);
            try {
                return startCreated(c);
            } catch (RuntimeException e) {
                cleanupQuietly(c.id());
                throw e;
            }
        });
    }

    /**
     * {@code run} and {@code start -a}: prepares the container, attaches to its monitor, starts it and
     * copies its output until it exits (or the user detaches). Returns the container's exit code, or
     * -1 when detached. With {@code autoRemove} the container is gone afterwards.
     */
    public int startAttached(String idOrName, AttachStreams streams) {
        return startAttached(idOrName, streams, null);
    }

    /**
     * As {@link #startAttached(String, AttachStreams)}; a container with a terminal gets
     * {@code terminalSize} ({rows, columns}) after it is created and before it starts, so its first
     * look at the terminal sees the right size.
     */
    public int startAttached(String idOrName, AttachStreams streams, int[] terminalSize) {
        Container c0 = container(idOrName);
        if (c0.status() == ContainerStatus.RUNNING || c0.status() == ContainerStatus.PAUSED) {
            throw improper(c0, "it is already running; use attach");
        }
        if (!c0.status().canStart()) {
            throw improper(c0, "it must be created or stopped to be started");
        }
        startDependencies(c0);
        Path marker = ContainerPaths.of(config, c0.id()).runDir().resolve("attached.pid");
        Container created = withLock(c0.id(), () -> {
            Container c = prepareToStart(applyExit(state().container(c0.id())), false);
            writeMarker(marker, c);
            return c;
        });
        OciRuntime rt = runtime(created.config().runtime());
        final Container[] running = {created};
        AttachResult result;
        try {
            result = rt.attach(rc(created), streams, () -> {
                if (terminalSize != null && created.config().terminal()) {
                    rt.resizeTerminal(rc(created), terminalSize[0], terminalSize[1]);
                }
                running[0] = withLock(created.id(), () -> startCreated(created));
            });
        } catch (RuntimeException e) {
            deleteMarker(marker);
            cleanupQuietly(created.id());
            throw e;
        }
        if (result == AttachResult.DETACHED) {
            deleteMarker(marker);
            return -1;
        }
        try {
            Trace.mark("attach: output closed");
            if (running[0].config().autoRemove() && running[0].config().restartPolicy().kind() == RestartPolicy.Kind.NO) {
                Integer code = exitAndRemove(running[0]);
                if (code != null) {
                    Trace.mark("removed");
                    return code;
                }
            }
            Container done = awaitExit(running[0]);
            Trace.mark("exit file read");
            int code = done.state().exitCode();
            cleanup(done.id());
            Trace.mark("cleanup done");
            return code;
        } finally {
            deleteMarker(marker);
        }
    }

    private void writeMarker(Path marker, Container c) {
        // Only when no restart policy: then the attached process does the cleanup and the exit
        // command (a second JVM) can stand down. With a policy, the cleanup process restarts it.
        if (c.config().restartPolicy().kind() != RestartPolicy.Kind.NO) {
            return;
        }
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            // without the marker the exit command simply does the cleanup
        }
    }

    private static void deleteMarker(Path marker) {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            // stale markers name a dead PID and are ignored
        }
    }

    /**
     * {@code run --rm} once the attach socket closed: from the exit file to the removed record in one
     * locked pass. The stopped and exited states are never written, as the record is about to go; a
     * crash midway leaves it running with its exit file in place, which the next command's sync
     * turns into stopped, as a crash on the general path would. Null when this path does not apply
     * (no exit file yet, or the container changed meanwhile): the caller takes the general one.
     */
    private Integer exitAndRemove(Container c) {
        OciRuntime rt = runtime(c.config().runtime());
        if (!exitFileSoon(rt, rc(c))) {
            return null;
        }
        Integer code = withLock(c.id(), () -> {
            Optional<Container> found = state().findContainer(c.id());
            if (found.isEmpty() || !found.get().status().isRunningOrPaused()) {
                return null;
            }
            Container cur = found.get();
            Optional<ExitStatus> exit = rt.exitStatus(rc(cur));
            if (exit.isEmpty()) {
                return null;
            }
            ExitStatus e = exit.get();
            Container done = cur.withState(stopped(cur, e).build());
            try {
                removeLocked(cleanupRuntime(cleanupNetwork(done), false));
            } catch (BerthException ex) {
                state().findContainer(c.id()).ifPresent(x -> {
                    if (x.status().isRunningOrPaused()) {
                        state().saveContainer(done); // what is known so far, for rm to finish
                    }
                });
                throw ex;
            }
            return e.exitCode();
        });
        if (code != null) {
            locks.forget(c.id());
        }
        return code;
    }

    /**
     * Whether the monitor's exit file appears within 50 ms. conmon writes it within a millisecond of
     * closing the attach socket, so it is looked for every 0.2 ms. False also when interrupted.
     */
    private static boolean exitFileSoon(OciRuntime rt, RuntimeContainer r) {
        long deadline = System.nanoTime() + 50_000_000L;
        while (rt.exitStatus(r).isEmpty()) {
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
        }
        return true;
    }

    /** Waits for the monitor's exit file; conmon closes the attach socket just before writing it. */
    private Container awaitExit(Container c) {
        OciRuntime rt = runtime(c.config().runtime());
        RuntimeContainer r = rc(c);
        long deadline = System.nanoTime() + 30_000_000_000L;
        boolean exited = exitFileSoon(rt, r);
        while (!exited) {
            if (System.nanoTime() > deadline && !rt.monitorAlive(r)) {
                return sync(state().container(c.id()));
            }
            try {
                Thread.sleep(20); // a process still running after closing its output: no hurry
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return state().container(c.id());
            }
            exited = rt.exitStatus(r).isPresent();
        }
        return withLock(c.id(), () -> applyExit(state().container(c.id())));
    }

    /** Attaches to a running container. */
    public AttachResult attach(String idOrName, AttachStreams streams) {
        Container c = container(idOrName);
        if (!c.status().isRunningOrPaused()) {
            throw improper(c, "you can only attach to running containers");
        }
        return runtime(c.config().runtime()).attach(rc(c), streams, null);
    }

    /** Waits until the container is no longer running; returns its exit code. */
    public int waitExit(String idOrName) {
        Container c = container(idOrName);
        while (c.status().isActive()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Optional<Container> again = state().findContainer(c.id());
            if (again.isEmpty()) {
                return c.state().exitCode();
            }
            c = sync(again.get());
        }
        return c.state().exitCode();
    }

    // ---------------------------------------------------------------- stop / kill / pause

    /** Stops a running container: stop signal, then SIGKILL after the timeout; then cleans up. */
    public Container stop(String idOrName, Integer timeout) {
        Container c0 = container(idOrName);
        int t = timeout == null ? c0.config().stopTimeout() : timeout;
        OciRuntime rt = runtime(c0.config().runtime());
        Container stopping = withLock(c0.id(), () -> {
            Container c = applyExit(state().container(c0.id()));
            if (!c.status().isActive()) {
                // not running (perhaps between two restarts): stopping it still means "stay stopped",
                // so the pending cleanup must not restart it
                if (c.config().restartPolicy().kind() != RestartPolicy.Kind.NO && !c.state().stoppedByUser()) {
                    c = c.withState(c.state().toBuilder().stoppedByUser(true).restartPolicyMatch(false).build());
                    state().saveContainer(c);
                }
                return c;
            }
            if (c.status() == ContainerStatus.PAUSED) {
                rt.resume(rc(c)); // a frozen process cannot handle its stop signal
            }
            Container s = c.withState(c.state().toBuilder().status(ContainerStatus.STOPPING).stoppedByUser(true).build());
            state().saveContainer(s);
            return s;
        });
        if (stopping.status() != ContainerStatus.STOPPING) {
            return stopping;
        }
        // the lock is not held while waiting, so ps and other commands go on (seed 000, #8501)
        rt.stop(rc(stopping), t, true);
        awaitExit(stopping);
        return cleanup(stopping.id());
    }

    /** Sends a signal to the container's init process. */
    public void kill(String idOrName, String signal) {
        int sig = Signals.parse(signal == null ? "KILL" : signal);
        Container c0 = container(idOrName);
        withLock(c0.id(), () -> {
            Container c = applyExit(state().container(c0.id()));
            if (c.status() != ContainerStatus.RUNNING && c.status() != ContainerStatus.PAUSED) {
                throw improper(c, "can only kill running containers");
            }
            runtime(c.config().runtime()).kill(rc(c), sig, false);
            return null;
        });
    }

    public Container pause(String idOrName) {
        Container c0 = container(idOrName);
        return withLock(c0.id(), () -> {
            Container c = applyExit(state().container(c0.id()));
            if (c.status() == ContainerStatus.PAUSED) {
                throw improper(c, "it is already paused");
            }
            if (c.status() != ContainerStatus.RUNNING) {
                throw improper(c, "\"" + c.status().display() + "\" is not running, can't pause");
            }
            runtime(c.config().runtime()).pause(rc(c));
            Container s = c.withState(c.state().toBuilder().status(ContainerStatus.PAUSED).build());
            state().saveContainer(s);
            return s;
        });
    }

    public Container unpause(String idOrName) {
        Container c0 = container(idOrName);
        return withLock(c0.id(), () -> {
            Container c = applyExit(state().container(c0.id()));
            if (c.status() != ContainerStatus.PAUSED) {
                throw improper(c, "it is not paused, can't unpause");
            }
            runtime(c.config().runtime()).resume(rc(c));
            Container s = c.withState(c.state().toBuilder().status(ContainerStatus.RUNNING).build());
            state().saveContainer(s);
            return s;
        });
    }

    /** Stops (if running) and starts again (seed 000 restartWithTimeout). */
    public Container restart(String idOrName, Integer timeout) {
        Container c = container(idOrName);
        if (c.status() == ContainerStatus.PAUSED || c.status() == ContainerStatus.UNKNOWN) {
            throw improper(c, "unable to restart a container in a paused or unknown state");
        }
        if (c.status() == ContainerStatus.RUNNING) {
            stop(c.id(), timeout);
        }
        return start(c.id());
    }

    // ---------------------------------------------------------------- cleanup / remove

    /**
     * The exit command's work ({@code berth container cleanup}): record the exit, then either restart
     * per the restart policy or tear down network and runtime state; remove an auto-remove container.
     */
    public Container cleanup(String id) {
        Optional<Container> found = state().findContainer(id);
        if (found.isEmpty()) {
            return null; // already removed (by the attached run, or rm)
        }
        Container result = withLock(found.get().id(), () -> {
            Optional<Container> again = state().findContainer(found.get().id());
            if (again.isEmpty()) {
                return null;
            }
            Container c = applyExit(again.get());
            if (c.status().isRunningOrPaused() || c.status() == ContainerStatus.CREATED && c.state().pid() > 0) {
                return c; // still running: nothing to clean
            }
            if (c.state().restartPolicyMatch() && !c.state().stoppedByUser() && shouldRestart(c)) {
                return restartByPolicy(c);
            }
            return cleanupLocked(c);
        });
        if (result != null && result.config().autoRemove() && !result.status().isRunningOrPaused()) {
            removeAfterCleanup(result);
            return null;
        }
        return result;
    }

    private static boolean shouldRestart(Container c) {
        RestartPolicy p = c.config().restartPolicy();
        if (p.kind() == RestartPolicy.Kind.NO) {
            return false;
        }
        if (p.kind() == RestartPolicy.Kind.ON_FAILURE) {
            if (c.state().exitCode() == 0) {
                return false;
            }
            return p.maxRetries() == 0 || c.state().restartCount() < p.maxRetries();
        }
        return true;
    }

    private Container restartByPolicy(Container c) {
        List<String> notRunning = dependenciesNotRunning(c);
        if (!notRunning.isEmpty()) {
            warnings.accept("not restarting container " + c.name() + ": dependencies not running: " + String.join(",", notRunning));
            return cleanupLocked(c);
        }
        Container cur = c.withState(c.state().toBuilder().restartCount(c.state().restartCount() + 1).build());
        state().saveContainer(cur);
        try {
            cur = cleanupRuntime(cur);
            cleanupNetwork(cur);
            cur = state().container(cur.id());
            cur = init(cur, true);
            return startCreated(cur);
        } catch (RuntimeException e) {
            warnings.accept("restarting container " + c.name() + " failed: " + e.getMessage());
            return cleanupLocked(state().container(c.id()));
        }
    }

    /** Seed 000 cleanup: network, then runtime delete (poststop hooks), under the lock. */
    private Container cleanupLocked(Container c) {
        if (c.state().restartPolicyMatch()) {
            // this cleanup consumes the exit: a later cleanup (a second exit command, rm) must not restart
            c = c.withState(c.state().toBuilder().restartPolicyMatch(false).build());
            state().saveContainer(c);
        }
        BerthException first = null;
        try {
            c = cleanupNetwork(c);
        } catch (BerthException e) {
            first = e;
        }
        try {
            c = cleanupRuntime(c);
        } catch (BerthException e) {
            if (first == null) {
                first = e;
            } else {
                warnings.accept(e.getMessage());
            }
        }
        if (first != null) {
            throw first;
        }
        return c;
    }

    private void cleanupQuietly(String id) {
        try {
            withLock(id, () -> {
                Optional<Container> c = state().findContainer(id);
                c.ifPresent(this::cleanupLocked);
                return null;
            });
        } catch (RuntimeException e) {
            warnings.accept("cleaning up container " + id + ": " + e.getMessage());
        }
    }

    private Container cleanupNetwork(Container c) {
        String ns = c.state().netNsPath();
        if (ns == null) {
            return c;
        }
        if (!c.config().network().needsBackend()) {
            NetNs.remove(Path.of(ns));
            Container s = c.withState(c.state().toBuilder().netNsPath(null).build());
            state().saveContainer(s);
            return s;
        }
        updatePeerHosts(c, false);
        Object backend = c.state().networkStatus().get("backend");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = c.state().networkStatus().get("details") instanceof Map
                ? (Map<String, Object>) c.state().networkStatus().get("details") : Map.of();
        try {
            NetworkBackend b = backend != null ? backendById(backend.toString()) : backendFor(c.config().network().mode());
            b.teardown(new NetworkRequest(c.id(), c.name(), hostname(c.config()), Path.of(ns), c.config().network()),
                    new NetworkStatus(b.id(), addresses(c), details));
        } catch (BerthException e) {
            // as libpod: reported, and the namespace goes all the same, so rm is never stuck on a broken plugin
            warnings.accept(e.getMessage());
        }
        NetNs.remove(Path.of(ns));
        Container s = c.withState(c.state().toBuilder().netNsPath(null).networkStatus(Map.of()).build());
        state().saveContainer(s);
        return s;
    }

    /** Seed 000 cleanupRuntime: delete from the runtime; stopped → exited, created → configured. */
    private Container cleanupRuntime(Container c) {
        return cleanupRuntime(c, true);
    }

    /** As {@link #cleanupRuntime(Container)}; {@code persist} false when the record is removed next. */
    private Container cleanupRuntime(Container c, boolean persist) {
        if (c.status() != ContainerStatus.STOPPED && c.status() != ContainerStatus.CREATED) {
            return c;
        }
        OciRuntime rt = runtime(c.config().runtime());
        if (c.status() == ContainerStatus.CREATED && c.state().pid() > 0) {
            // created but never started: conmon is waiting on it; SIGKILL ends both
            try {
                rt.kill(rc(c), 9, false);
            } catch (BerthException e) {
                // already gone
            }
        }
        rt.delete(rc(c));
        Trace.mark("cleanup: runtime deleted");
        ContainerHooks hooks = hooksFor(c.config(), false);
        ContainerStatus next = c.status() == ContainerStatus.STOPPED ? ContainerStatus.EXITED : ContainerStatus.CONFIGURED;
        Container s = c.withState(c.state().toBuilder().status(next).pid(0).conmonPid(0).build());
        if (persist) {
            state().saveContainer(s);
        }
        runInProcessHooks(hooks, HookStage.POSTSTOP, s, 0, s.state().exitCode()); // failures are warnings
        return s;
    }

    /** Removes a container; with force a running one is stopped first. Dependents block removal. */
    public void remove(String idOrName, boolean force, Integer timeout) {
        Container c = container(idOrName);
        remove(c, state().dependents(c.id()), force, timeout);
    }

    /**
     * {@code rm --all}: every container, each after its dependents. The dependency graph is read in
     * one pass over the store, not once per container as {@link #remove} does (with a thousand
     * containers that made rm --all quadratic: 4.5 s). {@code done} hears of each ID, with the error
     * that kept it, if any; a container whose dependent could not be removed stays, as with rm.
     */
    public void removeAll(boolean force, Integer timeout, java.util.function.BiConsumer<String, BerthException> done) {
        List<Container> all = state().allContainers();
        Map<String, List<String>> dependents = new HashMap<>();
        for (Container c : all) {
            for (String d : c.config().dependencies()) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(c.id());
            }
        }
        List<Container> left = new ArrayList<>(all);
        while (!left.isEmpty()) {
            List<Container> ready = new ArrayList<>();
            for (Container c : left) {
                if (dependents.getOrDefault(c.id(), List.of()).isEmpty()) {
                    ready.add(c);
                }
            }
            if (ready.isEmpty()) {
                ready.addAll(left); // a cycle, or dependents that failed: remove reports each
            }
            left.removeAll(ready);
            for (Container c : ready) {
                try {
                    remove(c, dependents.getOrDefault(c.id(), List.of()), force, timeout);
                    for (String d : c.config().dependencies()) {
                        List<String> of = dependents.get(d);
                        if (of != null) {
                            of.remove(c.id());
                        }
                    }
                    done.accept(c.id(), null);
                } catch (BerthException e) {
                    done.accept(c.id(), e);
                }
            }
        }
    }

    private void remove(Container c, List<String> dependents, boolean force, Integer timeout) {
        if (!dependents.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (String d : dependents) {
                names.add(state().findContainer(d).map(Container::name).orElse(d));
            }
            throw new BerthException(ErrorCode.DEPENDENCY_EXISTS, "container " + c.name() + " has dependent containers which must be removed before it: "
                    + String.join(", ", names));
        }
        if (c.status().isActive()) {
            if (!force) {
                throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "cannot remove container " + c.name() + " ("
                        + c.config().shortId() + ") as it is " + c.status().display()
                        + " - running or paused containers cannot be removed without force");
            }
            stop(c.id(), timeout);
        }
        withLock(c.id(), () -> {
            Optional<Container> again = state().findContainer(c.id());
            if (again.isEmpty()) {
                return null;
            }
            removeLocked(cleanupLocked(applyExit(again.get())));
            return null;
        });
        locks.forget(c.id());
    }

    private void removeAfterCleanup(Container c) {
        try {
            withLock(c.id(), () -> {
                Optional<Container> again = state().findContainer(c.id());
                again.ifPresent(this::removeLocked);
                return null;
            });
            locks.forget(c.id());
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NO_SUCH_CONTAINER) {
                throw e;
            }
        }
    }

    /** Under the lock, after cleanup: the container's files, then its record. */
    private void removeLocked(Container c) {
        Trace.mark("remove: locked");
        removeFiles(c);
        Trace.mark("remove: files removed");
        state().removeContainer(c.id());
    }

    private void removeFiles(Container c) {
        Pregenerated pre = pregenerated.remove(c.id());
        if (pre != null) {
            pre.quietly(); // a run that failed before init: let its helper finish writing first
        }
        ContainerPaths p = ContainerPaths.of(config, c.id());
        deleteTree(p.containerDir());
        deleteTree(p.runContainerDir());
        deleteTree(config.tmpDir().resolve("persist").resolve(c.id()));
        try {
            Files.deleteIfExists(config.tmpDir().resolve("exits").resolve(c.id()));
        } catch (IOException e) {
            warnings.accept("cannot remove exit file of " + c.id() + ": " + e.getMessage());
        }
    }

    private void deleteTree(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            warnings.accept("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** Depth first, not following symbolic links; a missing path is not an error. */
    private static void deleteRecursively(Path p) throws IOException {
        // isDirectory and deleteIfExists report a missing path without an exception: rm -a of a
        // thousand never-started containers meets thousands of missing directories
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                for (Path e : entries) {
                    deleteRecursively(e);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    // ---------------------------------------------------------------- exec / logs / inspect

    /** Runs a process in a running container; returns its exit code (or -1 when detached). */
    public int exec(String idOrName, ExecOptions o, AttachStreams streams) {
        Container c = container(idOrName);
        if (c.status() != ContainerStatus.RUNNING) {
            throw improper(c, "can only exec in running containers");
        }
        if (o.command().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "exec in container " + c.name() + ": no command given");
        }
        String user = null;
        if (o.user() != null && !o.user().isEmpty()) {
            UserResolver.ResolvedUser u = UserResolver.resolve(Path.of(c.config().rootfs()), o.user(), c.name());
            user = u.uid() + ":" + u.gid();
        }
        String session = newId();
        List<String> env = new ArrayList<>(o.env());
        if (o.terminal()) {
            env.add(0, "TERM=xterm");
        }
        ExecRequest req = new ExecRequest(session, o.command(), env, o.workingDir(), user, o.terminal(), o.interactive(), o.detach());
        ExecResult r = runtime(c.config().runtime()).exec(rc(c), req, streams);
        if (o.detach()) {
            withLock(c.id(), () -> {
                Container cur = state().container(c.id());
                state().saveContainer(cur.withState(cur.state().toBuilder()
                        .putExecSession(new ExecSession(session, o.command(), r.pid(), true, -1)).build()));
                return null;
            });
            return -1;
        }
        return r.exitCode();
    }

    public void resize(String idOrName, int height, int width) {
        Container c = container(idOrName);
        runtime(c.config().runtime()).resizeTerminal(rc(c), height, width);
    }

    public void logs(String idOrName, LogOptions o, OutputStream out, OutputStream err) {
        Container c = container(idOrName);
        if ("none".equals(c.config().logDriver())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " uses the \"none\" log driver: no logs to show");
        }
        try {
            K8sLog.copy(Path.of(c.config().logPath()), o.tail(), o.timestamps(), o.follow(), () -> {
                Optional<Container> cur = state().findContainer(c.id());
                return cur.isPresent() && sync(cur.get()).status().isRunningOrPaused();
            }, out, err);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "reading log of container " + c.name() + ": " + e.getMessage(), e);
        }
    }

    /** podman-style inspect data. */
    public Map<String, Object> inspect(String idOrName) {
        Container c = container(idOrName);
        return Inspector.inspect(c, ContainerPaths.of(config, c.id()), config);
    }

    /** Published ports of a container. */
    public List<PortMapping> ports(String idOrName) {
        return container(idOrName).config().network().ports();
    }

    // ---------------------------------------------------------------- networks

    public List<NetworkDefinition> networks() {
        List<NetworkDefinition> out = new ArrayList<>();
        for (NetworkBackend b : networkBackends()) {
            out.addAll(b.networks());
        }
        return out;
    }

    public NetworkDefinition createNetwork(String name, String subnet, String gateway) {
        for (NetworkBackend b : networkBackends()) {
            if (b.handles("bridge")) {
                return b.createNetwork(name, subnet, gateway);
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "no network backend supports named networks (is the CNI plugin installed?)");
    }

    public void removeNetwork(String name) {
        List<String> users = new ArrayList<>();
        for (Container c : state().allContainers()) {
            if (c.config().network().networks().contains(name) || c.config().network().mode().equals(name)) {
                users.add(c.name());
            }
        }
        if (!users.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "network " + name + " is in use by containers: " + String.join(", ", users)
                    + "; remove them first");
        }
        backendFor(name).removeNetwork(name);
    }

    // ---------------------------------------------------------------- state migration

    /**
     * Copies every container record to another state backend, verifies count and content, and only
     * then reports success; the source is never modified. Returns the number of records copied.
     */
    public int copyStateTo(String backend) {
        StateStoreProvider p = registry.select(StateStoreProvider.class, backend);
        List<Container> all = state().allContainers();
        try (StateStore target = p.open(new StateStoreConfig(config.staticDir(), dbConfig(), config.stateOptions(), warnings))) {
            if (!target.allContainers().isEmpty()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the " + backend + " state in " + config.staticDir()
                        + " already holds containers; refusing to merge");
            }
            for (Container c : dependenciesFirst(all)) {
                target.addContainer(c); // a backend may check that a dependency exists
            }
            List<Container> copied = target.allContainers();
            Map<String, Container> byId = new HashMap<>();
            copied.forEach(c -> byId.put(c.id(), c));
            for (Container c : all) {
                Container t = byId.get(c.id());
                if (t == null || !berth.kernel.json.Json.write(t.toJson()).equals(berth.kernel.json.Json.write(c.toJson()))) {
                    throw new BerthException(ErrorCode.STATE_CORRUPT, "verification failed: container " + c.name()
                            + " differs in the " + backend + " state after copying");
                }
            }
            if (copied.size() != all.size()) {
                throw new BerthException(ErrorCode.STATE_CORRUPT, "verification failed: " + all.size() + " records copied, "
                        + copied.size() + " found in the " + backend + " state");
            }
        }
        return all.size();
    }

    private static List<Container> dependenciesFirst(List<Container> all) {
        Map<String, Container> byId = new LinkedHashMap<>();
        all.forEach(c -> byId.put(c.id(), c));
        List<Container> out = new ArrayList<>();
        Set<String> placed = new java.util.HashSet<>();
        for (Container c : all) {
            place(c, byId, placed, new java.util.HashSet<>(), out);
        }
        return out;
    }

    private static void place(Container c, Map<String, Container> byId, Set<String> placed, Set<String> visiting, List<Container> out) {
        if (placed.contains(c.id()) || !visiting.add(c.id())) {
            return;
        }
        for (String d : c.config().dependencies()) {
            Container dep = byId.get(d);
            if (dep != null) {
                place(dep, byId, placed, visiting, out);
            }
        }
        placed.add(c.id());
        out.add(c);
    }

    // ---------------------------------------------------------------- exit command

    /**
     * What conmon runs when the container exits: {@code berth ... container cleanup ID}, wrapped in
     * sh so that it stands down while an attached {@code run} (its PID in the marker file) is alive to
     * clean up itself, saving a second JVM on the hot path.
     */
    private List<String> exitCommand(Container c) {
        String launcher = System.getProperty("berth.launcher");
        if (launcher == null || launcher.isEmpty()) {
            return List.of();
        }
        Path marker = ContainerPaths.of(config, c.id()).runDir().resolve("attached.pid");
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c",
                // read, a builtin, rather than $(cat): no fork and exec while the attached run cleans up
                "m=$1; shift; p=; { read -r p || :; } 2>/dev/null < \"$m\"; if [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null; then exit 0; fi; exec \"$@\"",
                "berth-exit", marker.toString()));
        if (!config.pluginDirs().isEmpty()) {
            // conmon gives its exit command a bare environment; cleanup must load the same plugins (poststop hooks)
            List<String> dirs = new ArrayList<>();
            config.pluginDirs().forEach(d -> dirs.add(d.toString()));
            cmd.add("env");
            cmd.add("BERTH_PLUGIN_PATH=" + String.join(":", dirs));
        }
        cmd.addAll(List.of(launcher, "--root", config.root().toString(), "--runroot",
                config.runRoot().toString(), "--db-backend", config.stateBackend()));
        if (config.configFile() != null) {
            cmd.add("--config");
            cmd.add(config.configFile().toString());
        }
        cmd.add("container");
        cmd.add("cleanup");
        cmd.add(c.id());
        return cmd;
    }

    @Override
    public void close() {
        StateStore s = store;
        if (s != null) {
            s.close();
        }
    }
}
