package berth.kernel.spi.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the engine gives a network backend: where to keep its configuration and run files, where to
 * look for its binaries, its options, and where its warnings go.
 *
 * @param options the {@code [network]} table of containers.conf (lists joined with commas), the
 *        backend reads the keys it documents and ignores the rest
 */
public record NetworkEnvironment(Path configDir, Path runDir, List<String> pluginDirs, Map<String, String> options,
                                 Consumer<String> warnings) {
    public NetworkEnvironment {
        pluginDirs = List.copyOf(pluginDirs);
        options = Map.copyOf(options);
    }
}
