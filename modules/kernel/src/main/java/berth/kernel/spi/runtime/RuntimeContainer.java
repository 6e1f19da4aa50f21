package berth.kernel.spi.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * The runtime's view of one container: identifiers, where its bundle and files are, how it is
 * attached and logged. Built by the engine from the container record; runtimes hold no state of their own.
 *
 * @param bundleDir holds config.json
 * @param runDir per-container run files (pidfile, conmon pidfile, oci-log, ctl)
 * @param exitCommand the command the monitor runs when the container exits (may be empty)
 */
public record RuntimeContainer(
        String id,
        String name,
        Path bundleDir,
        Path runDir,
        String logDriver,
        Path logPath,
        boolean terminal,
        boolean stdin,
        List<String> exitCommand,
        int pid,
        int conmonPid,
        int stopSignal) {
    public RuntimeContainer {
        exitCommand = List.copyOf(exitCommand);
    }

    public RuntimeContainer withPids(int newPid, int newConmonPid) {
        return new RuntimeContainer(id, name, bundleDir, runDir, logDriver, logPath, terminal, stdin, exitCommand,
                newPid, newConmonPid, stopSignal);
    }
}
