package berth.kernel.spi.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the engine gives a network backend: where to keep its configuration and run files, where to
 * look for its binaries, and its containers.conf options.
 */
public record NetworkEnvironment(Path configDir, Path runDir, List<String> pluginDirs, Map<String, String> options) {
    public NetworkEnvironment {
        pluginDirs = List.copyOf(pluginDirs);
        options = Map.copyOf(options);
    }
}
