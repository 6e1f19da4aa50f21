package berth.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Helper processes that a berth killed mid-operation left running: a CNI plugin whose ADD its
 * berth never waited for keeps going, and would create its lease or rule after the next berth tore
 * the half-made network down. A helper is recognised by an entry of its environment (the CNI
 * spec's {@code CNI_CONTAINERID=ID}, which plugins pass on to the iptables they run), since its
 * parent is gone. Teardown waits for such stragglers, and ends them if they hang, before it
 * deletes; only recovery needs this, so the normal path never scans /proc.
 */
public final class Stragglers {
    private Stragglers() {
    }

    /** Live processes (zombies excluded) whose environment holds exactly {@code entry} ("KEY=VALUE"). */
    public static List<Long> withEnvironment(String entry) {
        byte[] wanted = entry.getBytes(StandardCharsets.UTF_8);
        return ProcessTable.pids(pid -> holds(Path.of("/proc/" + pid), wanted) && alive(pid));
    }

    /**
     * Waits up to {@code graceMillis} for the processes holding {@code entry} to end, then kills what
     * is left (a plugin that hangs must not hold a teardown forever). Returns how many were found.
     */
    public static int awaitOrKill(String entry, long graceMillis) {
        List<Long> pids = withEnvironment(entry);
        if (pids.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (pids.stream().anyMatch(Stragglers::alive) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        return pids.size();
    }

    /** Whether the NUL-separated environment holds the entry whole (not as a prefix of a longer value). */
    private static boolean holds(Path proc, byte[] wanted) {
        byte[] env;
        try {
            env = Files.readAllBytes(proc.resolve("environ"));
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours to read
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == wanted.length && java.util.Arrays.equals(env, start, i, wanted, 0, wanted.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** Alive and not a zombie (a zombie's environ reads empty anyway, but its PID lingers). */
    private static boolean alive(long pid) {
        return ProcStat.running(pid);
    }
}
