package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.trace.Trace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a container's OCI bundle (config.json and the /etc files it mounts). For {@code run}, the
 * bundle can be written on a helper thread while {@code create} records the container, when it does
 * not depend on network set-up; init then only waits for it.
 */
public final class Bundles {
    /** The cgroup under which every container's own cgroup is made. */
    static final String CGROUP_PARENT = "/berth";

    private final EngineContext ctx;
    private final Hooks hooks;
    /** Bundles being written on a helper thread, by container ID (a configuration never changes once created). */
    private final Map<String, Prewritten> prewritten = new ConcurrentHashMap<>();

    public Bundles(EngineContext ctx, Hooks hooks) {
        this.ctx = ctx;
        this.hooks = hooks;
    }

    /**
     * Writes the bundle for {@code c} as init would, on a helper thread: without a network namespace
     * path ({@code netnsPath} null), or with the path of one that init's network setup will make in
     * the background (the /etc files it fills in once that is done).
     */
    public Prewritten prewrite(Container c, String netnsPath) {
        ContainerPaths paths = ctx.paths(c.id());
        Prewritten p = new Prewritten(paths.containerDir(), netnsPath);
        p.work = Concurrently.run("berth-bundle", () -> {
            ContainerHooks h = hooks.hooksFor(c.config(), true);
            write(c, paths, h, new ContainerNetwork.Prepared(c, netnsPath, Map.of(), List.of(), List.of(), null));
            Trace.mark("create: bundle written by the helper");
            p.hooks = h;
        });
        return p;
    }

    /** Keeps a prewritten bundle for init (its record was accepted). */
    public void keep(String id, Prewritten p) {
        prewritten.put(id, p);
    }

    /** The bundle prewritten for this container in this process, if any (taken: init uses it once). */
    public Prewritten take(String id) {
        return prewritten.remove(id);
    }

    /** Generates config.json and the /etc files for the container as set up, into its bundle directory. */
    public void write(Container c, ContainerHooks h, ContainerNetwork.Prepared net) {
        write(c, ctx.paths(c.id()), h, net);
    }

    private void write(Container c, ContainerPaths paths, ContainerHooks h, ContainerNetwork.Prepared net) {
        Map<String, Object> spec = SpecGenerator.generate(c.config(), paths,
                new SpecGenerator.Extras(net.netnsPath(), net.hostEntries(), h.spec(), CGROUP_PARENT, net.nameservers(), net.searchDomains(),
                        c.config().network().isHost() || c.config().settings().noHosts() ? null
                                : HostsBase.of(ctx.config().containerDefaults(), c.config(), setUpStatus(c, net))));
        addSeccompAnnotations(c, spec);
        SpecGenerator.write(spec, paths.bundleDir());
    }

    /**
     * The network status when it is known as the bundle is written (set up in line: its bridge's gateway
     * is host.containers.internal); null without a network, or when it is set up in the background (the
     * hosts file is filled in again once it is).
     */
    private static NetworkStatus setUpStatus(Container c, ContainerNetwork.Prepared net) {
        return net.inBackground() || c.state().networkStatus() == null ? null : NetworkStatus.fromJson(c.state().networkStatus());
    }

    /** What the runtime adds beside the seccomp section (crun: the program compiled ahead); the config's own annotations win. */
    private void addSeccompAnnotations(Container c, Map<String, Object> spec) {
        if (c.config().seccompFilter() == null) {
            return;
        }
        Map<String, String> extra = ctx.runtime(c).seccompAnnotations(Path.of(c.config().seccompFilter()));
        if (!extra.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) spec.get("annotations");
            extra.forEach(annotations::putIfAbsent);
        }
        Trace.mark("bundle: seccomp annotations");
    }

    /** The hooks and the bundle of a container, being written on a helper thread. */
    public static final class Prewritten {
        private final Path containerDir;
        private final String netnsPath;
        private volatile ContainerHooks hooks;
        private Concurrently work;

        private Prewritten(Path containerDir, String netnsPath) {
            this.containerDir = containerDir;
            this.netnsPath = netnsPath;
        }

        /** Whether init's network, as set up, leaves this bundle as it is. */
        public boolean fits(ContainerNetwork.Prepared net) {
            return net.inBackground() ? java.util.Objects.equals(netnsPath, net.netnsPath())
                    : netnsPath == null && !net.changesBundle();
        }

        /** Waits for the helper; its hooks, or its failure rethrown. */
        public ContainerHooks await() {
            work.await();
            return hooks;
        }

        /** Waits for the helper, whatever became of it (the container is being removed). */
        public void awaitQuietly() {
            try {
                work.await();
            } catch (RuntimeException ignored) {
                // the container goes; what the helper failed at no longer matters
            }
        }

        /** The directory it writes into, to delete when its record was refused. */
        public Path containerDir() {
            return containerDir;
        }
    }
}
