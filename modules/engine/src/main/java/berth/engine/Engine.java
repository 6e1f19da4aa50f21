package berth.engine;

import berth.engine.internal.ConfigLoader;
import berth.engine.internal.Concurrently;
import berth.engine.internal.EngineServices;
import berth.engine.internal.NetworkAdmin;
import berth.engine.internal.Inspector;
import berth.engine.internal.PluginLayers;
import berth.engine.internal.Signals;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.PortMapping;
import berth.kernel.plugin.PluginInfo;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.kernel.trace.Trace;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The embeddable entry point of berth: one engine per configuration. It implements libpod's
 * container lifecycle (seed 000): configured → created → running → stopped → exited, with pause,
 * restart policies, dependencies and cleanup. Every state change happens under the container's lock
 * and is saved before the call returns. This class only finds the container and delegates: each job
 * is a service of its own in {@code berth.engine.internal} (see ARCHITECTURE.md).
 */
public final class Engine implements AutoCloseable {
    private final EngineConfig config;
    private final EngineServices s;

    private Engine(EngineConfig config, PluginRegistry registry, Consumer<String> warnings) {
        this.config = config;
        this.s = new EngineServices(config, registry, warnings);
    }

    /** Opens an engine for the configuration (containers.conf + overrides) and environment given. */
    public static Engine open(ConfigOverrides overrides, Map<String, String> env, Consumer<String> warnings) {
        return open(ConfigLoader.load(overrides, env), warnings);
    }

    public static Engine open(EngineConfig config, Consumer<String> warnings) {
        return new Engine(config, PluginRegistry.of(PluginLayers.layerFor(config.pluginDirs(), warnings), warnings), warnings);
    }

    public EngineConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- plugins and start-up

    /** Every plugin found, by SPI, for {@code berth info}. */
    public List<PluginInfo> plugins() {
        return s.plugins.describe();
    }

    /** Problems the registry met (a provider that failed to load), for {@code berth info}. */
    public List<String> pluginProblems() {
        return s.plugins.problems();
    }

    /** What {@code info} shows of a runtime (null: the configured one), or the error that makes it unusable. */
    public Map<String, Object> runtimeInfo(String name) {
        return s.plugins.runtimeInfo(name);
    }

    /** Runs the JSON codec once on a background thread while the caller parses its arguments. */
    public static void warmUpAsync() {
        Concurrently.run("berth-warm-up", () -> {
            Trace.mark("warm-up: start");
            Json.warmUp();
            Trace.mark("warm-up: JSON ready");
        });
    }

    /**
     * Prepares, on a background thread, what a container command will need: the hook plugins and the
     * runtime (its plugin, binary and native code). Errors are left for the main path to report.
     */
    public void prepareAsync(String runtimeName) {
        Concurrently.run("berth-prepare", () -> {
            try {
                Trace.mark("prepare: start");
                s.plugins.prepare(runtimeName);
                Trace.mark("prepare: runtime prepared");
            } catch (RuntimeException e) {
                // reported, if real, when the main path uses the runtime
            }
        });
    }

    // ---------------------------------------------------------------- images

    /** The image API; the image store opens on first use. */
    public Images images() {
        return new Images(s.images);
    }

    /** The volume API ({@code berth volume ...}). */
    public Volumes volumes() {
        return new Volumes(s.volumes);
    }

    /** Files in and out of containers ({@code cp}). */
    public ContainerFiles files() {
        return new ContainerFiles(this, s.copier);
    }

    /** True when this distribution has an image store plugin. */
    public boolean hasImageStore() {
        return s.plugins.hasImageStore();
    }

    // ---------------------------------------------------------------- events

    /** The events API: what the log holds and, streamed, what comes. */
    public Events events() {
        return new Events(s.context.events());
    }

    /**
     * The events API without opening an engine: {@code berth events} needs only containers.conf, and
     * reading 10,000 events should not wait for the plugin layer, the registry and the state store.
     */
    public static Events eventsOnly(ConfigOverrides overrides, Map<String, String> env, Consumer<String> warnings) {
        return new Events(berth.engine.internal.EventLog.open(ConfigLoader.load(overrides, env), warnings));
    }

    // ---------------------------------------------------------------- containers

    /** Creates a container in the state store (status "created"/configured); nothing runs yet. */
    public Container create(CreateOptions o) {
        return s.factory.create(o, false);
    }

    /** As {@link #create(CreateOptions)}, for a container this process starts next ({@code run}). */
    public Container createToStart(CreateOptions o) {
        return s.factory.create(o, true);
    }

    /** Finds a container by name, ID or unique ID prefix, its state brought up to date. */
    public Container container(String idOrName) {
        return s.lookup.find(idOrName);
    }

    /** Every container, each brought up to date. */
    public List<Container> containers() {
        return s.lookup.all();
    }

    /** {@code init}: prepares a created container (network, spec, the runtime's create) without starting it. */
    public Container init(String idOrName) {
        return s.starter.init(container(idOrName));
    }

    /** Starts a container (and its dependencies); returns it running. */
    public Container start(String idOrName) {
        return s.starter.start(container(idOrName));
    }

    /**
     * {@code start --all --filter restart-policy=...}: starts every container that is not running and
     * whose restart policy is one of {@code policies} ("always", "unless-stopped", ...; empty for any),
     * an unless-stopped one only when the user did not stop it. What the boot-time unit runs (podman's
     * podman-restart.service). {@code done} hears of each ID, with the error that kept it, if any.
     */
    public void startAll(java.util.Set<String> policies, BiConsumer<String, BerthException> done) {
        for (Container c : s.lookup.all()) {
            berth.kernel.model.RestartPolicy.Kind kind = c.config().restartPolicy().kind();
            if (c.status().isActive() || !policies.isEmpty() && !policies.contains(kind.text())
                    || kind == berth.kernel.model.RestartPolicy.Kind.UNLESS_STOPPED && c.state().stoppedByUser()) {
                continue;
            }
            try {
                s.starter.start(s.lookup.find(c.id()));
                done.accept(c.id(), null);
            } catch (BerthException e) {
                done.accept(c.id(), e);
            }
        }
    }

    /** What {@link #startAttached} returns when the user detached: no exit code can be this. */
    public static final int DETACHED = Integer.MIN_VALUE;

    /**
     * {@code run} and {@code start -a}: starts the container attached and copies its output until it
     * exits (or the user detaches). Returns its exit code (-1 when conmon killed it for {@code --timeout},
     * as podman records it), or {@link #DETACHED} when detached.
     */
    public int startAttached(String idOrName, AttachStreams streams) {
        return startAttached(idOrName, streams, null);
    }

    /** As {@link #startAttached(String, AttachStreams)}; a terminal gets {@code terminalSize} ({rows, columns}) before it starts. */
    public int startAttached(String idOrName, AttachStreams streams, int[] terminalSize) {
        return s.attachedRun.run(container(idOrName), streams, terminalSize);
    }

    /** Attaches to a running container. */
    public AttachResult attach(String idOrName, AttachStreams streams) {
        return s.terminals.attach(container(idOrName), streams);
    }

    /** Waits until the container is no longer running; returns its exit code. */
    public int waitExit(String idOrName) {
        return s.exits.waitExit(container(idOrName));
    }

    /** Stops a running container: stop signal, then SIGKILL after the timeout; then cleans up. */
    public Container stop(String idOrName, Integer timeout) {
        return s.control.stop(container(idOrName), timeout);
    }

    /** Sends a signal (a name or number; KILL when null) to the container's init process. */
    public void kill(String idOrName, String signal) {
        int sig = Signals.parseAsPodman(signal == null ? "KILL" : signal);
        s.control.kill(container(idOrName), sig);
    }

    /** Checks a signal name or number as {@code kill} will parse it; podman's errors for a bad one. */
    public static int checkSignal(String signal) {
        return Signals.parseAsPodman(signal);
    }

    /** A size as podman's flags take it ("64m", "1g", "1048576"): bytes; podman's error for a bad one. */
    public static long parseSize(String text) {
        return berth.engine.internal.Units.parseBytes(text);
    }

    /** Checks a signal as {@code pod kill} parses it (no range check: any positive number passes). */
    public static void checkPodSignal(String signal) {
        Signals.checkLoose(signal);
    }

    public Container pause(String idOrName) {
        return s.control.pause(container(idOrName));
    }

    public Container unpause(String idOrName) {
        return s.control.unpause(container(idOrName));
    }

    /** Stops (if running) and starts again (seed 000 restartWithTimeout). */
    public Container restart(String idOrName, Integer timeout) {
        return s.control.restart(container(idOrName), timeout);
    }

    /** The runtime's cleanup command ({@code berth container cleanup}); null when the container is gone. */
    public Container cleanup(String id) {
        return s.cleanup.cleanup(id);
    }

    /** Removes a container; with force a running one is stopped first. Dependents block removal. */
    public void remove(String idOrName, boolean force, Integer timeout) {
        s.removal.remove(container(idOrName), force, timeout);
    }

    /** {@code rm --all}: every container, each after its dependents; {@code done} hears of each ID and its error, if any. */
    public void removeAll(boolean force, Integer timeout, BiConsumer<String, BerthException> done) {
        s.removal.removeAll(force, timeout, done);
    }

    /** Runs a process in a running container; returns its exit code (or -1 when detached). */
    public int exec(String idOrName, ExecOptions o, AttachStreams streams) {
        return s.exec.exec(container(idOrName), o, streams);
    }

    public void resize(String idOrName, int height, int width) {
        s.terminals.resize(container(idOrName), height, width);
    }

    /** A new exec session ID, for a caller that resizes the session's terminal ({@link ExecOptions#sessionId()}). */
    public static String newExecSessionId() {
        return berth.engine.internal.Ids.newId();
    }

    /** Resizes the terminal of a running exec session, named by the caller in {@link ExecOptions#sessionId()}. */
    public void resizeExec(String idOrName, String sessionId, int height, int width) {
        s.terminals.resizeExec(container(idOrName), sessionId, height, width);
    }

    public void logs(String idOrName, LogOptions o, OutputStream out, OutputStream err) {
        s.logs.copy(container(idOrName), o, out, err);
    }

    /** {@code logs C1 C2 ...}: several containers, each line behind its container's short ID (or name). */
    public void logs(List<String> idsOrNames, LogOptions o, OutputStream out, OutputStream err) {
        List<Container> cs = new java.util.ArrayList<>();
        for (String n : idsOrNames) {
            cs.add(container(n));
        }
        s.logs.copyAll(cs, o, out, err);
    }

    /**
     * {@code berth cp}: copies between a host path (or a tar stream on {@code stdin}/{@code stdout})
     * and a path of a container, running or stopped; its paths resolve inside the container's root.
     */
    public void copy(CopyRequest r, java.io.InputStream stdin, OutputStream stdout) {
        s.copier.copy(container(r.container()), r, stdin, stdout);
    }

    /** podman-style inspect data. */
    public Map<String, Object> inspect(String idOrName) {
        Container c = container(idOrName);
        return Inspector.inspect(c, s.context.paths(c.id()), config);
    }

    /** Published ports of a container. */
    public List<PortMapping> ports(String idOrName) {
        return container(idOrName).config().network().ports();
    }

    // ---------------------------------------------------------------- networks and state

    public List<NetworkDefinition> networks() {
        return s.networks.networks();
    }

    public NetworkDefinition createNetwork(String name, String subnet, String gateway) {
        return s.networks.create(name, subnet, gateway);
    }

    public void removeNetwork(String name) {
        s.networks.remove(name);
    }

    /**
     * {@code network prune}: every named network no container uses (never the default network), with
     * podman's prune filters ({@code label=}, {@code label!=}, {@code until=}); returns the removed names
     * and an error for each network that could not be removed.
     */
    public PruneReport pruneNetworks(List<String> filters) {
        NetworkAdmin.PruneOutcome o = s.networks.prune(filters);
        return new PruneReport(List.of(), List.of(), o.removed(), List.of(), o.errors());
    }

    /**
     * {@code network connect}: the container joins one more network, at once when its network is set up
     * (created, running, paused), else at its next start; {@code aliases} are more names for it there.
     */
    public Container connectNetwork(String network, String idOrName, List<String> aliases) {
        return s.connections.connect(container(idOrName), network, aliases);
    }

    /** {@code network disconnect}; with {@code force} a backend failure is only a warning. */
    public Container disconnectNetwork(String network, String idOrName, boolean force) {
        return s.connections.disconnect(container(idOrName), network, force);
    }

    /** The backend of bridge and named networks ({@code network_backend}), for {@code info}. */
    public String networkBackend() {
        return s.networks.backendName();
    }

    /** {@code system prune}: containers that are not running, unused images and networks (the default stays), volumes if asked. */
    public PruneReport prune(SystemPruneOptions options) {
        return s.cleaner.prune(options);
    }

    /** {@code system reset}: every container, network, runtime container and namespace, and every file under the roots. */
    public PruneReport reset() {
        return s.cleaner.reset();
    }

    /** Copies every container record to another state backend and verifies it; returns the number copied. */
    public int copyStateTo(String backend) {
        return s.migration.copyTo(backend);
    }

    @Override
    public void close() {
        s.plugins.close();
    }
}
