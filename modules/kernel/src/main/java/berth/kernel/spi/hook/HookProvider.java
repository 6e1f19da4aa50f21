package berth.kernel.spi.hook;

import berth.kernel.plugin.PluginProvider;

/**
 * Contributes hooks to containers: OCI hook files (the hooks-oci plugin) or Java hooks. Every
 * provider found is asked, in id order.
 */
public interface HookProvider extends PluginProvider {
    /** The hooks that apply to this container. Invalid definitions are reported and skipped, not fatal. */
    HookSet hooksFor(HookContext context);
}
