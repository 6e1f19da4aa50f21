package berth.kernel.spi.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the engine hands a runtime when it makes one: where to find the binary, where the runtime may
 * keep files, its options from containers.conf, and where its warnings go. Nothing here is specific
 * to one way of driving a runtime; a runtime reads the options it knows and ignores the rest.
 *
 * @param binaryPaths candidate paths of the runtime binary from {@code [engine.runtimes]}; empty for the provider's defaults
 * @param runtimeRoot the runtime's own state root (runc's and crun's {@code --root}), under the run root
 * @param engineTmpDir the engine's volatile directory (libpod's tmp dir): files a runtime keeps per
 *        container there (exit files, sockets) are where podman keeps them, so both engines find them
 * @param options the {@code [engine]} table of containers.conf, every value as a list of strings
 *        (a monitor's paths are {@code conmon_path}, say)
 * @param logLevel the engine's log level, for the runtime to pass on
 * @param warnings where the runtime reports what the user should know but that does not fail the call
 */
public record RuntimeEnvironment(
        List<String> binaryPaths,
        Path runtimeRoot,
        Path engineTmpDir,
        Map<String, List<String>> options,
        String logLevel,
        Consumer<String> warnings) {
    public RuntimeEnvironment {
        binaryPaths = List.copyOf(binaryPaths);
        options = Map.copyOf(options);
    }

    /** An option's values, empty when not configured. */
    public List<String> option(String key) {
        List<String> v = options.get(key);
        return v == null ? List.of() : v;
    }
}
