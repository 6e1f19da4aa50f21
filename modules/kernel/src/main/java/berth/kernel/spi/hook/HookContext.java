package berth.kernel.spi.hook;

import berth.kernel.model.ContainerConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What hook selection sees of a container: its configuration (command, annotations, mounts), and
 * the hooks directories in force.
 */
public record HookContext(ContainerConfig config, List<Path> hooksDirs) {
    public HookContext {
        hooksDirs = List.copyOf(hooksDirs);
    }
}
