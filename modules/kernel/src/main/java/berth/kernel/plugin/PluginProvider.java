package berth.kernel.plugin;

/**
 * What every provider of a berth SPI has: a stable id that configuration selects it by, and a short
 * description. Providers are cheap to construct; heavy work waits for the factory method of their SPI.
 */
public interface PluginProvider {
    /** The name configuration uses, e.g. {@code runc}, {@code file}, {@code cni}. */
    String id();

    default String description() {
        return getClass().getSimpleName();
    }

    /** The provider's version: its module's version, when the jar carries one. */
    default String version() {
        return getClass().getModule().getDescriptor() != null
                ? getClass().getModule().getDescriptor().rawVersion().orElse("unversioned")
                : "unversioned";
    }
}
