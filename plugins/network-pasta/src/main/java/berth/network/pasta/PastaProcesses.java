package berth.network.pasta;

import berth.support.ProcStat;
import berth.support.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pasta processes of one container, known by their PID file: berth passes {@code --pid FILE}
 * with a path that names the container, so the file's path in a process's command line identifies it
 * even when the PID file or the recorded status is lost (a CLI killed mid-setup), and a reused PID is
 * never taken for it.
 */
final class PastaProcesses {
    private static final long TERM_WAIT_MILLIS = 2_000;
    private static final long KILL_WAIT_MILLIS = 3_000;

    private PastaProcesses() {
    }

    /** True when the process runs pasta with this PID file and has not exited. */
    static boolean isPastaFor(long pid, Path pidFile) {
        List<String> args = cmdline(pid);
        return !args.isEmpty() && args.get(0).endsWith("pasta") && args.contains(pidFile.toString()) && running(pid);
    }

    /** Every live pasta with this PID file: the daemon, and its parent while that has not exited yet. */
    static List<Long> find(Path pidFile) {
        return ProcessTable.pids(pid -> isPastaFor(pid, pidFile));
    }

    /** The PID pasta wrote to its PID file, or -1 when there is none (yet). */
    static long readPidFile(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Stops the process if it still is this container's pasta (SIGTERM, SIGKILL after 2 s), or waits for
     * it when it is a pasta already exiting. True when it was and it is gone.
     */
    static boolean stop(long pid, Path pidFile) {
        if (isExitingPasta(pid)) {
            return awaitExit(pid, KILL_WAIT_MILLIS);
        }
        if (!isPastaFor(pid, pidFile)) {
            return false;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!awaitExit(pid, TERM_WAIT_MILLIS)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            return awaitExit(pid, KILL_WAIT_MILLIS);
        }
        return true;
    }

    /**
     * Stops every pasta of this PID file; returns those still running. The PID file's own PID is
     * looked at first: a pasta that quit by itself (its namespace was deleted) has released its
     * memory, command line included, before it closes its sockets, so only its PID finds it while it
     * still holds the published ports.
     */
    static List<Long> stopAll(Path pidFile) {
        long filed = readPidFile(pidFile);
        if (filed > 0) {
            stop(filed, pidFile);
        }
        for (long pid : find(pidFile)) {
            stop(pid, pidFile);
        }
        List<Long> left = find(pidFile);
        if (filed > 0 && isExitingPasta(filed)) {
            left.add(filed);
        }
        return left;
    }

    /**
     * A pasta between releasing its memory and becoming a zombie: no command line any more, but its
     * name ({@code pasta}, or {@code passt.avx2} that pasta re-executes) and still its sockets.
     */
    static boolean isExitingPasta(long pid) {
        if (!running(pid) || !cmdline(pid).isEmpty()) {
            return false;
        }
        String comm;
        try {
            comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return false;
        }
        return comm.startsWith("pasta") || comm.startsWith("passt");
    }

    /** The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), or -1. */
    static long startTime(long pid) {
        return ProcStat.read(pid).map(ProcStat::startTicks).orElse(-1L);
    }

    static boolean running(long pid) {
        return ProcStat.running(pid);
    }

    /** Waits for the process to go; pasta takes 20-100 ms to exit (the kernel frees its tap device and buffers). */
    static boolean awaitExit(long pid, long millis) {
        return ProcessTable.awaitGone(pid, millis, 4);
    }

    private static List<String> cmdline(long pid) {
        return ProcessTable.cmdline(pid);
    }
}
