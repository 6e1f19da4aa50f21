package berth.engine.internal;

import berth.engine.CreateOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.spi.image.ContainerStorage;
import berth.kernel.model.MountSpec;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.model.Resources;
import berth.kernel.model.RestartPolicy;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeFeature;
import berth.kernel.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code create}: checks what the user asked for, turns it into an immutable {@link ContainerConfig}
 * with a new ID and a unique name, and records the container (configured); nothing runs yet.
 */
public final class ContainerFactory {
    private final EngineContext ctx;
    private final NetworkBackends networks;
    private final Bundles bundles;
    private final ImageRootfs imageRootfs;

    public ContainerFactory(EngineContext ctx, NetworkBackends networks, Bundles bundles, ImageRootfs imageRootfs) {
        this.ctx = ctx;
        this.networks = networks;
        this.bundles = bundles;
        this.imageRootfs = imageRootfs;
    }

    /**
     * With {@code startsNext} (run), a helper thread writes the bundle while the record is written,
     * when the bundle does not depend on network set-up.
     */
    public Container create(CreateOptions o, boolean startsNext) {
        boolean fromImage = o.image() != null && !o.image().isEmpty();
        Path rootfs = fromImage ? null : rootfs(o);
        ImageInfo image = fromImage ? ImageResolver.resolve(ctx.plugins().images(), o.image(),
                o.pull() != null ? o.pull() : ctx.config().pullPolicy(), o.pullOptions()) : null;
        String runtimeName = o.runtime() == null ? ctx.config().runtime() : o.runtime();
        Trace.mark("create: validated");
        OciRuntime rt = ctx.plugins().runtime(runtimeName); // an unknown runtime fails now, listing those found
        Trace.mark("create: runtime found");
        String id = Ids.newId();
        String name = o.name() == null || o.name().isEmpty() ? freeName() : Ids.checkName(o.name(), "container");
        NetworkSpec net = network(o, rt, image);
        if (startsNext && net.needsBackend()) {
            ProcessStarts.warmUpAsync();
        }
        List<String> deps = new ArrayList<>();
        for (String r : o.requires()) {
            for (String part : r.split(",")) {
                if (!part.isBlank()) {
                    deps.add(ctx.state().lookupContainer(part.trim()).id());
                }
            }
        }
        if (rootfs != null && o.user() != null && !o.user().isEmpty()) {
            UserResolver.resolve(rootfs, o.user(), name); // an unknown user fails at create (an image's: at init, once mounted)
        }
        ContainerStorage storage = null;
        ContainerConfig cfg;
        if (image != null) {
            cfg = withImage(config(o, id, name, null, net, deps, runtimeName, image.config().volumes()), o, image);
            // podman makes a --rm container's layer volatile: nothing syncs it, not even its unmount
            storage = ctx.plugins().images().createContainer(id, name, image.id(), cfg.autoRemove());
            cfg = cfg.toBuilder().rootfs(storage.rootfs().toString()).build();
            Trace.mark("create: container storage made");
        } else {
            cfg = config(o, id, name, rootfs, net, deps, runtimeName, List.of());
            if (ctx.state().readByPodman()) {
                // podman finds a container in its store before it acts on it, --rootfs ones too
                storage = ctx.plugins().images().createRootfsContainer(id, name);
                Trace.mark("create: rootfs container storage registered");
            }
        }
        if (cfg.restartPolicy().kind() != RestartPolicy.Kind.NO && !rt.features().contains(RuntimeFeature.CLEANUP_COMMAND)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the " + rt.name() + " runtime cannot run a command when the container"
                    + " exits, so --restart " + cfg.restartPolicy().kind().text() + " cannot be honoured");
        }
        Container c = new Container(cfg, ContainerState.configured());
        Trace.mark("create: config built");
        // an image's root filesystem is mounted by init, so its bundle is written then
        // so is one whose network is set up in the background: its namespace's path is known now
        String backgroundNetns = ContainerNetwork.backgroundNetnsPath(ctx, net, rt, c.id());
        Bundles.Prewritten pre = startsNext && image == null
                && (backgroundNetns != null || ContainerNetwork.bundleIndependentOfNetwork(net, rt))
                ? bundles.prewrite(c, backgroundNetns) : null;
        try {
            addRecord(c);
        } catch (RuntimeException e) {
            if (pre != null) {
                pre.awaitQuietly(); // the record was refused (a name in use, say): its bundle goes too
                new RecordRemoval(ctx, bundles, imageRootfs).deleteTree(pre.containerDir());
            }
            if (storage != null) {
                imageRootfs.remove(c);
            }
            throw e;
        }
        if (pre != null) {
            bundles.keep(id, pre);
        }
        CrashPoints.here("create:after-record");
        Trace.mark("create: record added");
        if (image != null) {
            ctx.events().image("", o.image(), berth.engine.events.EventStatus.PULL); // podman logs the pull (policy) of every create from an image
        }
        ctx.events().container(c, berth.engine.events.EventStatus.CREATE);
        return c;
    }

    private static Path rootfs(CreateOptions o) {
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
        return rootfs;
    }

    /** podman's merge of the image's config with the user's flags. */
    private static ContainerConfig withImage(ContainerConfig cfg, CreateOptions o, ImageInfo image) {
        ImageConfig ic = image.config();
        String wd = ImageDefaults.orImage(o.workingDir(), ic.workingDir());
        String user = ImageDefaults.orImage(o.user(), ic.user());
        String stop = o.stopSignal() != null ? o.stopSignal() : ic.stopSignal().isEmpty() ? null : ic.stopSignal();
        return cfg.toBuilder()
                .command(ImageDefaults.command(ic, o.entrypoint(), o.command(), o.image()))
                .env(ImageDefaults.env(ic, o.env()))
                .workingDir(wd == null ? "/" : wd)
                .user(user == null ? "" : user)
                .labels(ImageDefaults.labels(ic, o.labels()))
                .stopSignal(stop == null ? 15 : Signals.parse(stop))
                .image(imageName(image, o.image()), image.id())
                .build();
    }

    /** The name a container shows for its image: the image's name the user meant, else its first, else its id. */
    static String imageName(ImageInfo image, String reference) {
        for (String n : image.names()) {
            if (n.equals(reference) || n.endsWith("/" + reference) || n.endsWith("/" + reference + ":latest")
                    || n.endsWith("/library/" + reference) || n.endsWith("/library/" + reference + ":latest")) {
                return n;
            }
        }
        return image.names().isEmpty() ? image.id() : image.names().get(0);
    }

    private String freeName() {
        String name;
        do {
            name = NameGenerator.generate();
        } while (ctx.state().findContainer(name).isPresent());
        return name;
    }

    /**
     * The container's network. A runtime that cannot join a namespace gets none: the default mode
     * quietly, a network the user named with an error.
     */
    private NetworkSpec network(CreateOptions o, OciRuntime rt, ImageInfo image) {
        List<PortMapping> ports = new ArrayList<>();
        for (String p : o.publish()) {
            ports.add(PortMapping.parse(p));
        }
        if (o.publishAll()) {
            List<String> exposed = image == null ? List.of() : image.config().exposedPorts();
            ports.addAll(PublishAll.ports(exposed, o.expose(), ports));
        }
        String mode = o.network() == null ? ctx.config().defaultNetwork() : o.network();
        NetworkSpec net = NetworkModes.parse(mode, ports, networks::defaultNetwork);
        if (net.needsBackend() && !rt.features().contains(RuntimeFeature.JOIN_NETNS)) {
            if (o.network() != null || !ports.isEmpty()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the " + rt.name() + " runtime cannot join a network namespace,"
                        + " so it cannot use network " + net.mode() + (ports.isEmpty() ? "" : " or publish ports") + "; use --network none");
            }
            return NetworkSpec.NONE;
        }
        if (net.needsBackend()) {
            networks.forMode(net.mode()); // an unknown network is refused at create, as podman does
            Trace.mark("create: network backend found");
        }
        return net;
    }

    private ContainerConfig config(CreateOptions o, String id, String name, Path rootfs, NetworkSpec net, List<String> deps,
                                   String runtimeName, List<String> imageVolumes) {
        SpecSettingsCheck.check(o.settings(), net);
        List<MountSpec> mounts = new VolumeSpecs(ctx).resolve(o.volumes(), o.mounts(), o.tmpfs(), o.volumesFrom(), imageVolumes);
        ContainerSecurity security = ContainerSecurity.resolve(o, ctx.config().containerDefaults(), name,
                ctx.config().runRoot().resolve("seccomp"), ctx.config().staticDir().resolve("seccomp"));
        ContainerConfig cfg = ContainerConfig.builder().id(id).name(name).rootfs(rootfs == null ? "" : rootfs.toString()).command(o.command())
                .env(o.env()).workingDir(o.workingDir() == null ? "/" : o.workingDir()).user(o.user() == null ? "" : o.user())
                .hostname(o.hostname() == null ? "" : o.hostname()).terminal(o.terminal()).stdin(o.interactive())
                .labels(o.labels()).annotations(o.annotations()).mounts(mounts).network(net)
                .restartPolicy(RestartPolicy.parse(o.restart()))
                .stopSignal(o.stopSignal() == null ? 15 : Signals.parse(o.stopSignal()))
                .stopTimeout(o.stopTimeout() == null ? 10 : o.stopTimeout())
                .logDriver(o.logDriver() == null ? "k8s-file" : checkLogDriver(o.logDriver()))
                .logPath(ctx.paths(id).logPath().toString()).runtime(runtimeName)
                .resources(new Resources(o.memory() == null || o.memory().equals("0") ? 0 : Units.parseBytes(o.memory()) /* podman: 0 is no limit */,
                        o.cpus() == null ? 0 : Units.parseNanoCpus(o.cpus()), o.pidsLimit() == null ? 0 : o.pidsLimit()))
                .dependencies(deps).autoRemove(o.autoRemove()).hooksDirs(ctx.config().hooksDirs()).createdAt(Instant.now())
                .createCommand(o.createCommand()).capabilities(security.capabilities()).rlimits(security.rlimits())
                .seccompFilter(security.seccompFilter()).privileged(o.privileged()).settings(SpecSettingsCheck.resolveInit(o.settings()))
                .timeout(o.timeout()).preserveFds(o.preserveFds())
                .logSizeMax(LogSizes.maxSize(o.logOptions())).build();
        if (o.preserveFds() < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --preserve-fds " + o.preserveFds() + ": it must not be negative");
        }
        if (o.timeout() < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --timeout " + o.timeout() + ": it must not be negative");
        }
        if (cfg.autoRemove() && cfg.restartPolicy().kind() != RestartPolicy.Kind.NO) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the --rm option conflicts with --restart");
        }
        return cfg;
    }

    static String checkLogDriver(String d) {
        if (!d.equals("k8s-file") && !d.equals("none")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unsupported log driver \"" + d + "\": use k8s-file or none");
        }
        return d;
    }

    /** The record, with a lock number allocated in the shared lock manager when one is configured (freed when refused). */
    private void addRecord(Container c) {
        java.util.Optional<berth.kernel.spi.lock.LockManager> shared = ctx.plugins().sharedLocks();
        if (shared.isEmpty()) {
            ctx.state().addContainer(c);
            return;
        }
        int n = shared.get().allocate();
        try {
            ctx.state().addContainer(c, n);
        } catch (RuntimeException e) {
            shared.get().free(n);
            throw e;
        }
    }
}
