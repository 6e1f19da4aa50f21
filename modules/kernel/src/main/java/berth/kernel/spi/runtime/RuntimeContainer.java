package berth.kernel.spi.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * The runtime's view of one container: identifiers, where its bundle and files are, how it is
 * attached and logged. Built by the engine from the container record for every call; runtimes hold
 * no state of their own between calls, so any berth process (or podman) can drive the container next.
 *
 * @param bundleDir holds config.json
 * @param runDir per-container run files the runtime may use (pid files, logs of its own)
 * @param cleanupCommand the engine's cleanup command (empty for none). A runtime that declares
 *        {@link RuntimeFeature#CLEANUP_COMMAND} runs it once, after the exit is recorded.
 * @param pid the container's init PID as {@link Created} reported it, 0 before create
 * @param monitorPid the PID of the process the runtime left watching the container (a monitor, a
 *        shim), as {@link Created} reported it; 0 if none
 * @param timeout seconds the container may run before its monitor kills it ({@code --timeout}), 0 for none
 * @param logSizeMax bytes of log before the monitor truncates it ({@code --log-opt max-size}), 0 for no limit
 * @param preserveFds how many of the caller's descriptors from 3 on the container's process gets ({@code --preserve-fds})
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
        List<String> cleanupCommand,
        int pid,
        int monitorPid,
        int stopSignal,
        int timeout,
        int preserveFds,
        long logSizeMax) {
    public RuntimeContainer {
        cleanupCommand = List.copyOf(cleanupCommand);
    }

    /** Without a run-time limit. */
    public RuntimeContainer(String id, String name, Path bundleDir, Path runDir, String logDriver, Path logPath, boolean terminal,
                            boolean stdin, List<String> cleanupCommand, int pid, int monitorPid, int stopSignal) {
        this(id, name, bundleDir, runDir, logDriver, logPath, terminal, stdin, cleanupCommand, pid, monitorPid, stopSignal, 0, 0, 0);
    }

    public RuntimeContainer withPids(int newPid, int newMonitorPid) {
        return new RuntimeContainer(id, name, bundleDir, runDir, logDriver, logPath, terminal, stdin, cleanupCommand,
                newPid, newMonitorPid, stopSignal, timeout, preserveFds, logSizeMax);
    }
}
