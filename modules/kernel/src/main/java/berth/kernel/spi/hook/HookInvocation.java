package berth.kernel.spi.hook;

import berth.kernel.model.ContainerConfig;
import java.nio.file.Path;

/**
 * What an in-process hook receives at a stage: the container, its bundle, its init PID and, at
 * poststop, its exit code.
 */
public record HookInvocation(HookStage stage, ContainerConfig config, Path bundleDir, int pid, int exitCode,
                             String ociStatus) {
}
