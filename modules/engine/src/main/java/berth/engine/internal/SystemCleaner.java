package berth.engine.internal;

import berth.engine.PruneReport;
import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.NetworkDefinition;
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
 * {@code system prune}: every container that is not running and every network no container uses
 * (the default network stays), as podman's. {@code system reset}: every container (stopped first),
 * every network, every runtime container and namespace berth made, then every file under the roots.
 */
public final class SystemCleaner {
    private final EngineContext ctx;
    private final ContainerLookup lookup;
    private final Removal removal;
    private final NetworkAdmin networks;
    private final NetworkBackends backends;

    public SystemCleaner(EngineContext ctx, ContainerLookup lookup, Removal removal, NetworkAdmin networks, NetworkBackends backends) {
        this.ctx = ctx;
        this.lookup = lookup;
        this.removal = removal;
        this.networks = networks;
        this.backends = backends;
    }

    public PruneReport prune() {
        List<String> containers = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Container c : lookup.all()) {
            if (c.status().isRunningOrPaused() || c.status().isActive()) {
                continue;
            }
            try {
                removal.remove(c, false, null);
                containers.add(c.id());
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        Set<String> used = new HashSet<>();
        for (Container c : ctx.state().allContainers()) {
            used.addAll(c.config().network().networks());
            used.add(c.config().network().mode());
        }
        String dflt = backends.named().flatMap(b -> b.defaultNetwork()).orElse("");
        List<String> removedNetworks = new ArrayList<>();
        for (NetworkDefinition n : networks.networks()) {
            if (used.contains(n.name()) || n.name().equals(dflt)) {
                continue;
            }
            try {
                networks.remove(n.name());
                removedNetworks.add(n.name());
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        List<String> images = new ArrayList<>();
        if (ctx.plugins().hasImageStore() && Files.isDirectory(ctx.config().root())) {
            try {
                removeOrphanStorage(errors);
                ctx.plugins().images().prune(false).forEach(r -> images.addAll(r.deleted()));
            } catch (BerthException e) {
                errors.add(e.getMessage());
            }
        }
        return new PruneReport(containers, removedNetworks, images, errors);
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
        return new PruneReport(containers, removedNetworks, List.of(), errors);
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
