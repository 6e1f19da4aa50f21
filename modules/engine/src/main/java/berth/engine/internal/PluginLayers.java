package berth.engine.internal;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plugin jars dropped into a plugin directory (BERTH_PLUGIN_PATH or {@code plugin_dirs}) are loaded
 * into a module layer above the boot layer, so a vendor's runtime jar works without a rebuild.
 * Without such directories the boot layer is used as it is (no cost).
 */
public final class PluginLayers {
    private PluginLayers() {
    }

    public static ModuleLayer layerFor(List<Path> dirs, Consumer<String> warnings) {
        ModuleLayer boot = ModuleLayer.boot();
        List<Path> existing = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                existing.add(d);
            } else {
                warnings.accept("plugin directory " + d + " does not exist; skipped");
            }
        }
        if (existing.isEmpty()) {
            return boot;
        }
        try {
            ModuleFinder finder = ModuleFinder.of(existing.toArray(new Path[0]));
            List<String> roots = new ArrayList<>();
            for (ModuleReference r : finder.findAll()) {
                if (boot.findModule(r.descriptor().name()).isEmpty()) {
                    roots.add(r.descriptor().name());
                }
            }
            Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            return boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        } catch (RuntimeException e) {
            warnings.accept("cannot load plugins from " + existing + ": " + e.getMessage() + "; using the built-in plugins only");
            return boot;
        }
    }
}
