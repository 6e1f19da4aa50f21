package berth.kernel.spi.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * What the engine hands a runtime: the configured binary paths (empty for the provider's defaults),
 * the monitor (conmon) paths, and the directories shared by all containers of this engine.
 *
 * @param binaryPaths candidate paths of the runtime binary from {@code [engine.runtimes]}; empty for defaults
 * @param conmonPaths candidate paths of conmon
 * @param runtimeRoot the runtime's own state root ({@code --root} of runc/crun), under the run root
 * @param exitsDir where the monitor writes each container's exit file
 * @param persistDir where the monitor persists exit and OOM files per container
 * @param socketsDir where attach sockets live
 * @param logLevel the engine's log level, passed on to the monitor
 */
public record RuntimeEnvironment(
        List<String> binaryPaths,
        List<String> conmonPaths,
        Path runtimeRoot,
        Path exitsDir,
        Path persistDir,
        Path socketsDir,
        String logLevel) {
    public RuntimeEnvironment {
        binaryPaths = List.copyOf(binaryPaths);
        conmonPaths = List.copyOf(conmonPaths);
    }
}
