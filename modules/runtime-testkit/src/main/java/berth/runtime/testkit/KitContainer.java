package berth.runtime.testkit;

import berth.kernel.spi.runtime.Created;
import berth.kernel.spi.runtime.RuntimeContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One container the suite made: its spec, the {@link RuntimeContainer} the suite passes to the
 * runtime (with the PIDs from {@link Created} once created), and its host-side directories.
 */
public final class KitContainer {
    private final ContainerSpec spec;
    private final Path dir;
    private volatile RuntimeContainer runtimeContainer;

    KitContainer(ContainerSpec spec, Path dir, RuntimeContainer runtimeContainer) {
        this.spec = spec;
        this.dir = dir;
        this.runtimeContainer = runtimeContainer;
    }

    public ContainerSpec spec() {
        return spec;
    }

    /** What the runtime gets for this container: PIDs are 0 until {@link #created}. */
    public RuntimeContainer runtimeContainer() {
        return runtimeContainer;
    }

    public String id() {
        return runtimeContainer.id();
    }

    /** The host side of the container's {@link OciConfig#SHARED} directory. */
    public Path sharedDir() {
        return dir.resolve("shared");
    }

    /** The container's k8s-file log, for failure messages. */
    public String log() {
        try {
            return Files.readString(runtimeContainer.logPath());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    void created(Created created) {
        runtimeContainer = runtimeContainer.withPids(created.pid(), created.monitorPid());
    }
}
