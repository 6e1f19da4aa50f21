package berth.kernel.spi.runtime;

import berth.kernel.plugin.PluginProvider;
import java.util.List;

/**
 * Provides one OCI runtime (runc, crun, runsc, a vendor's own). Found through ServiceLoader; the
 * id is the name users give to {@code --runtime}. Construction is cheap; {@link #create} does the work.
 */
public interface OciRuntimeProvider extends PluginProvider {
    /** Where the runtime's binary is looked for when configuration names no path. */
    List<String> defaultPaths();

    /** Makes the runtime for one engine; the binary path is resolved here. */
    OciRuntime create(RuntimeEnvironment environment);
}
