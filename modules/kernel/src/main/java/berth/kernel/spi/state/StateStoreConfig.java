package berth.kernel.spi.state;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a state store lives and the engine settings it records (see {@link DbConfig}).
 *
 * @param staticDir the engine's static directory (podman's libpod root); stores keep their files here
 * @param options backend-specific settings from containers.conf
 * @param warnings where the store reports what it skipped (a corrupt record, say) without failing
 */
public record StateStoreConfig(Path staticDir, DbConfig engineConfig, Map<String, String> options, Consumer<String> warnings) {
    public StateStoreConfig {
        options = Map.copyOf(options);
        if (warnings == null) {
            warnings = w -> { };
        }
    }
}
