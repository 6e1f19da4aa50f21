package berth.kernel.plugin;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The one way berth finds plugins: {@link ServiceLoader} over a module layer (the boot layer, or a
 * layer the engine made from a plugin directory). Each SPI is loaded lazily on first use, so a
 * command that needs only the state store never loads a runtime. A provider that fails to
 * instantiate is reported and skipped; two providers with one id are rejected; the order is stable
 * (by id).
 */
public final class PluginRegistry {
    private final ModuleLayer layer;
    private final Consumer<String> warnings;
    private final Map<Class<?>, List<?>> cache = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    private PluginRegistry(ModuleLayer layer, Consumer<String> warnings) {
        this.layer = layer;
        this.warnings = warnings;
    }

    /** A registry over the given layer (and its parents). A null layer means the class path / unnamed module. */
    public static PluginRegistry of(ModuleLayer layer, Consumer<String> warnings) {
        return new PluginRegistry(layer, warnings);
    }

    public static PluginRegistry boot(Consumer<String> warnings) {
        return new PluginRegistry(ModuleLayer.boot(), warnings);
    }

    /** Every provider of the SPI, sorted by id. */
    @SuppressWarnings("unchecked")
    public <P extends PluginProvider> List<P> providers(Class<P> spi) {
        return (List<P>) cache.computeIfAbsent(spi, k -> load(spi));
    }

    private <P extends PluginProvider> List<P> load(Class<P> spi) {
        // On the class path (unnamed modules) the layer has no providers; fall back to META-INF/services.
        ServiceLoader<P> loader = layer == null || !spi.getModule().isNamed()
                ? ServiceLoader.load(spi, spi.getClassLoader())
                : ServiceLoader.load(layer, spi);
        if (berth.kernel.trace.Trace.on()) { // no string building on the hot path when not tracing
            berth.kernel.trace.Trace.mark("registry: loader made for " + spi.getSimpleName());
        }
        Map<String, P> byId = new LinkedHashMap<>();
        var it = loader.iterator();
        while (true) {
            P p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                String msg = "skipping a " + spi.getSimpleName() + " provider that failed to load: " + e.getMessage();
                problems.add(msg);
                warnings.accept(msg);
                continue;
            }
            P previous = byId.putIfAbsent(p.id(), p);
            if (previous != null && previous.getClass() != p.getClass()) {
                throw new BerthException(ErrorCode.NO_SUCH_PLUGIN, String.format(
                        "two %s providers claim the id \"%s\": %s (module %s) and %s (module %s); remove one",
                        spi.getSimpleName(), p.id(), previous.getClass().getName(), moduleName(previous),
                        p.getClass().getName(), moduleName(p)));
            }
        }
        berth.kernel.trace.Trace.mark("registry: providers instantiated");
        List<P> list = new ArrayList<>(byId.values());
        list.sort((a, b) -> a.id().compareTo(b.id())); // not Comparator.comparing: its JDK lambda is spun at run time (~2 ms)
        return Collections.unmodifiableList(list);
    }

    /** The provider with the given id, or an error that lists what was found and where it looked. */
    public <P extends PluginProvider> P select(Class<P> spi, String id) {
        List<P> all = providers(spi);
        for (P p : all) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        List<String> ids = new ArrayList<>();
        all.forEach(p -> ids.add(p.id()));
        throw new BerthException(ErrorCode.NO_SUCH_PLUGIN, String.format(
                "no %s named \"%s\": found %s (searched the module path of %s)",
                kind(spi), id, ids.isEmpty() ? "none" : String.join(", ", ids), describeLayer()));
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public <P extends PluginProvider> List<PluginInfo> describe(Class<P> spi) {
        List<PluginInfo> out = new ArrayList<>();
        for (P p : providers(spi)) {
            var loc = p.getClass().getProtectionDomain().getCodeSource();
            out.add(new PluginInfo(spi.getSimpleName(), p.id(), moduleName(p), p.version(), p.description(),
                    loc == null ? "" : String.valueOf(loc.getLocation())));
        }
        return out;
    }

    private static String kind(Class<?> spi) {
        String n = spi.getSimpleName();
        if (n.endsWith("Provider")) {
            n = n.substring(0, n.length() - "Provider".length());
        }
        return n;
    }

    private String describeLayer() {
        if (layer == null) {
            return "the class path";
        }
        List<String> mods = new ArrayList<>();
        layer.modules().forEach(m -> {
            if (m.getName().startsWith("berth")) {
                mods.add(m.getName());
            }
        });
        Collections.sort(mods);
        return "berth modules " + mods;
    }

    private static String moduleName(Object o) {
        Module m = o.getClass().getModule();
        return m.isNamed() ? m.getName() : "unnamed";
    }
}
