package berth.kernel.spi.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where an image store lives and how it reaches registries.
 *
 * @param graphRoot persistent root (podman's graph root, {@code --root}); the store's files go directly under it
 * @param runRoot volatile root (podman's run root, {@code --runroot}); mount state lives here
 * @param registriesConf the registries configuration files, in the order read (registries.conf, then its .d drop-ins);
 *        empty when none exists
 * @param options store-specific settings ({@code driver}, {@code mount_program}, ... from storage.conf)
 * @param warnings where the store reports what it skipped or repaired without failing
 */
public record ImageStoreConfig(Path graphRoot, Path runRoot, List<Path> registriesConf, Map<String, String> options,
                               Consumer<String> warnings) {
    public ImageStoreConfig {
        registriesConf = List.copyOf(registriesConf);
        options = Map.copyOf(options);
        if (warnings == null) {
            warnings = w -> { };
        }
    }
}
