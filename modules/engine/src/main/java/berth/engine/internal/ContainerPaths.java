package berth.engine.internal;

import berth.engine.EngineConfig;
import java.nio.file.Path;

/**
 * Where a container's files live: the bundle (config.json, attach socket, ctl FIFO, generated
 * /etc files, the k8s-file log) under the root, volatile run files under the run root.
 */
public record ContainerPaths(Path bundleDir, Path runDir, Path logPath) {
    public static ContainerPaths of(EngineConfig cfg, String id) {
        Path bundle = cfg.root().resolve("containers").resolve(id).resolve("userdata");
        return new ContainerPaths(bundle, cfg.runRoot().resolve("containers").resolve(id).resolve("userdata"),
                bundle.resolve("ctr.log"));
    }

    public Path containerDir() {
        return bundleDir.getParent();
    }

    public Path runContainerDir() {
        return runDir.getParent();
    }
}
