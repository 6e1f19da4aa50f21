package berth.engine.internal;

import berth.engine.PruneReport;
import berth.engine.SystemPruneOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code system prune}: every container that is not running, dangling images (every unused one with
 * {@code --all}), every network no container uses (the default network stays) and, with
 * {@code --volumes}, every volume no container uses, as podman's. {@code system reset}: every container (stopped first),
 * every network, every runtime container and namespace berth made, then every file under the roots.
 */
public final class SystemCleaner {
    private final EngineContext ctx;
    private final ContainerLookup lookup;
    private final Removal removal;
    private final NetworkAdmin networks;
    private final NetworkBackends backends;
    private final ImageAdmin imageAdmin;
    private final VolumeAdmin volumeAdmin;

    public SystemCleaner(EngineContext ctx, ContainerLookup lookup, Removal removal, NetworkAdmin networks, NetworkBackends backends,
                         ImageAdmin imageAdmin, VolumeAdmin volumeAdmin) {
        this.ctx = ctx;
        this.lookup = lookup;
        this.removal = removal;
        this.networks = networks;
        this.backends = backends;
        this.imageAdmin = imageAdmin;
        this.volumeAdmin = volumeAdmin;
    }

    /**
     * podman's order, repeated while a round removed something (a removed container can leave an image
     * dangling, a removed image nothing): containers, images, networks, then volumes when asked.
     */
    public PruneReport prune(SystemPruneOptions options) {
        PruneFilters filters = PruneFilters.parse(options.filters(), java.time.Instant.now());
        if (!filters.isEmpty() && ctx.plugins().hasImageStore()) {
            ctx.warnings().accept("system prune --filter: images are not filtered by berth yet, so none is pruned");
        }
        List<String> containers = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        List<String> removedNetworks = new ArrayList<>();
        List<String> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            int before = containers.size() + volumes.size() + removedNetworks.size() + images.size();
            pruneContainers(filters, containers, errors);
            if (filters.isEmpty()) {
                pruneImages(options.all(), images, errors);
            }
            pruneNetworks(filters, removedNetworks, errors);
            if (options.volumes()) {
                try {
                    volumes.addAll(volumeAdmin.prune(v -> filters.matches(v.labels(), v.createdAt())));
                } catch (BerthException e) {
                    errors.add(e.getMessage());
                }
            }
            if (containers.size() + volumes.size() + removedNetworks.size() + images.size() == before) {
                break;
            }
        }
        return new PruneReport(containers, volumes, removedNetworks, images, errors);
    }

    private void pruneContainers(PruneFilters filters, List<String> removed, List<String> errors) {
        for (Container c : lookup.all()) {
            if (c.status().isRunningOrPaused() || c.status().isActive()
                    || !filters.matches(c.config().labels(), c.config().createdAt())) {
                continue;
            }
            try {
                removal.remove(c, false, null);
                removed.add(c.id());
            } catch (BerthException e) {
                if (e.code() != ErrorCode.NO_SUCH_CONTAINER) { // another process removed it meanwhile
                    errors.add(e.getMessage());
                }
            }
        }
    }

    private void pruneImages(boolean all, List<String> removed, List<String> errors) {
        if (!ctx.plugins().hasImageStore() || !Files.isDirectory(ctx.config().root())) {
            return;
        }
        try {
            removeOrphanStorage(errors);
            imageAdmin.prune(all).forEach(r -> removed.addAll(r.deleted()));
        } catch (BerthException e) {
            errors.add(e.getMessage());
        }
    }

    private void pruneNetworks(PruneFilters filters, List<String> removed, List<String> errors) {
        networks.prune(filters, removed, errors);
    }

    /** Container storage with no record (a create killed between the two): unmounted and removed. */
    private void removeOrphanStorage(List<String> errors) {
        Set<String> known = new HashSet<>();
        ctx.state().allContainers().forEach(c -> known.add(c.id()));
        for (var s : ctx.plugins().images().containers()) {
            if (!known.contains(s.containerId())) {
                try {
                    ctx.plugins().images().removeContainer(s.containerId());
                } catch (BerthException e) {
                    errors.add(e.getMessage());
                }
            }
        }
    }

    public PruneReport reset() {
        List<String> containers = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        removal.removeAll(true, 0, (id, e) -> {
            if (e == null) {
                containers.add(id);
            } else {
                errors.add(e.getMessage());
            }
        });
        List<String> removedNetworks = new ArrayList<>();
        networks.networks().forEach(n -> removedNetworks.add(n.name()));
        for (var b : ctx.plugins().networkBackends()) {
            try {
                b.reset();
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        if (ctx.plugins().hasImageStore()) {
            try {
                removeOrphanStorage(errors); // unmounted before their files go
                ctx.plugins().images().shutdown();
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        VolumeHostMounts.unmountAll(ctx, errors); // a bind volume's host directory is never deleted through its mount
        ctx.plugins().close(); // the state store's files go next
        removeNamespaces(ctx.config().runRoot().resolve("netns"), errors);
        for (Path dir : List.of(ctx.config().root(), ctx.config().runRoot(), ctx.config().staticDir(), ctx.config().tmpDir())) {
            try {
                FileTrees.delete(dir);
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        return new PruneReport(containers, List.of(), removedNetworks, List.of(), errors);
    }

    /** Namespaces no record named any more: unmounted before the run root goes. */
    private static void removeNamespaces(Path dir, List<String> errors) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path ns : entries) {
                try {
                    NetNs.remove(ns);
                } catch (BerthException e) {
                    errors.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            errors.add("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
