package berth.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Finding and waiting for processes berth did not start in this JVM (a helper an earlier berth left:
 * slirp4netns, pasta, a CNI plugin), through /proc: the processes that pass a test, a process's
 * command line, and a wait for a process to go. See {@link ProcStat} for one process's state.
 */
public final class ProcessTable {
    private ProcessTable() {
    }

    /** The PIDs in /proc that pass {@code test}, this process excepted; empty without /proc. */
    public static List<Long> pids(LongPredicate test) {
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                long pid;
                try {
                    pid = Long.parseLong(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != self && test.test(pid)) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return out;
    }

    /** The process's arguments (/proc/PID/cmdline split at NULs); empty when it is gone or a zombie. */
    public static List<String> cmdline(long pid) {
        byte[] b;
        try {
            b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Waits up to {@code millis} for the process to stop running (a zombie counts as gone); true when
     * it did. Polls from 1 ms, doubling to {@code maxPollMillis}: a helper told to stop is usually gone
     * within a few milliseconds, and a /proc read costs microseconds. An interrupt does not cut the wait
     * short (a teardown must finish, an interrupted setup must undo itself); the thread's interrupt
     * status is kept for the caller.
     */
    public static boolean awaitGone(long pid, long millis, long maxPollMillis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        boolean interrupted = Thread.interrupted();
        long sleep = 1;
        try {
            while (ProcStat.running(pid)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                sleep = Math.min(sleep * 2, maxPollMillis);
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
