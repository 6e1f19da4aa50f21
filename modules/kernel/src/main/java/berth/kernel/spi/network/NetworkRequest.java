package berth.kernel.spi.network;

import berth.kernel.model.NetworkSpec;
import java.nio.file.Path;

/** One container's network to set up or tear down: its namespace, what it asked for, its names. */
public record NetworkRequest(String containerId, String containerName, String hostname, Path netnsPath, NetworkSpec spec) {
}
