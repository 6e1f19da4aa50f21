package berth.engine.internal;

import berth.engine.EngineConfig;
import berth.kernel.plugin.PluginRegistry;
import java.util.function.Consumer;

/**
 * The engine's services, each with one job, made once per engine and wired here (no service makes
 * another). The {@link berth.engine.Engine} facade only delegates to them.
 */
public final class EngineServices {
    public final EngineContext context;
    public final Plugins plugins;
    public final ExitTracker exits;
    public final ContainerLookup lookup;
    public final Terminals terminals;
    public final ContainerFactory factory;
    public final Starter starter;
    public final AttachedRun attachedRun;
    public final ProcessControl control;
    public final ExitCleanup cleanup;
    public final Removal removal;
    public final ExecSessions exec;
    public final ContainerLogs logs;
    public final NetworkAdmin networks;
    public final NetworkConnections connections;
    public final StateMigration migration;
    public final SystemCleaner cleaner;
    public final ImageAdmin images;
    public final VolumeAdmin volumes;
    public final ContainerCopier copier;

    public EngineServices(EngineConfig config, PluginRegistry registry, Consumer<String> warnings) {
        LockManager locks = new LockManager(config.tmpDir().resolve("locks"));
        plugins = new Plugins(config, registry, warnings, new StateRefresh(config.tmpDir(), locks));
        context = new EngineContext(config, plugins, locks, warnings);
        Hooks hooks = new Hooks(plugins::hookProviders, warnings);
        NetworkBackends backends = new NetworkBackends(plugins, config.networkOptions());
        PeerHosts peerHosts = new PeerHosts(plugins::state, locks, id -> context.paths(id).bundleDir().resolve("hosts"), warnings);
        ContainerNetwork network = new ContainerNetwork(context, backends, peerHosts);
        Bundles bundles = new Bundles(context, hooks);
        ImageRootfs imageRootfs = new ImageRootfs(context);
        exits = new ExitTracker(context);
        terminals = new Terminals(context);
        factory = new ContainerFactory(context, backends, bundles, imageRootfs);
        ContainerInit init = new ContainerInit(context, hooks, bundles, network, imageRootfs);
        Teardown teardown = new Teardown(context, hooks, network, imageRootfs);
        starter = new Starter(context, exits, init, teardown, network, hooks);
        RecordRemoval records = new RecordRemoval(context, bundles, imageRootfs);
        ExecIntents execIntents = new ExecIntents(config.tmpDir());
        Recovery recovery = new Recovery(context, context.intents(), teardown, backends, records, execIntents);
        lookup = new ContainerLookup(context, exits, recovery);
        cleanup = new ExitCleanup(context, exits, teardown, starter, init, records);
        control = new ProcessControl(context, exits, cleanup, starter);
        removal = new Removal(context, exits, teardown, control, records, recovery);
        attachedRun = new AttachedRun(context, exits, starter, teardown, cleanup, records);
        exec = new ExecSessions(context, execIntents);
        logs = new ContainerLogs(context, exits);
        networks = new NetworkAdmin(context, backends);
        connections = new NetworkConnections(context, exits, backends, peerHosts);
        migration = new StateMigration(context);
        images = new ImageAdmin(context, lookup, removal);
        volumes = new VolumeAdmin(context, removal);
        cleaner = new SystemCleaner(context, lookup, removal, networks, backends, images, volumes);
        copier = new ContainerCopier(context);
    }
}
