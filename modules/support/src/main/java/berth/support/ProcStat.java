package berth.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One process's {@code /proc/PID/stat}, read once: its state letter and the fields after its command
 * name. The one place berth parses that line, for the engine's intents, the conmon driver's exit
 * files and the network helpers' process checks alike. The command name may hold spaces and
 * parentheses, so the fields are counted from the last {@code ')'}.
 */
public final class ProcStat {
    /** USER_HZ, which /proc/PID/stat counts in: 100 on every Linux architecture berth runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /** Fields 3 onward (state, ppid, pgrp, session, ...): index 0 is field 3. */
    private final String[] fields;

    private ProcStat(String[] fields) {
        this.fields = fields;
    }

    /** The process's line, or empty when there is no such process (or /proc cannot be read). */
    public static Optional<ProcStat> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            if (close < 0 || close + 2 >= stat.length()) {
                return Optional.empty();
            }
            return Optional.of(new ProcStat(stat.substring(close + 2).split(" ")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone between a listing and this read
        }
    }

    /** Whether the process exists and is not a zombie (nor dead: 'X'). */
    public static boolean running(long pid) {
        return read(pid).map(ProcStat::live).orElse(false);
    }

    /** The start of a running process in clock ticks after boot, or 0 when it is gone or a zombie. */
    public static long startTicksOfRunning(long pid) {
        return read(pid).filter(ProcStat::live).map(ProcStat::startTicks).orElse(0L);
    }

    /**
     * When a running process started, to about a clock tick. {@code ProcessHandle.Info.startInstant()}
     * adds the ticks to /proc/stat's {@code btime}, which the kernel truncates to a whole second, so its
     * answer can be up to a second early: too coarse to tell an exit file written just before a monitor
     * started from one written by it. Here the boot instant comes from /proc/uptime (ten milliseconds).
     */
    public static Optional<Instant> startOfRunning(long pid) {
        long ticks = startTicksOfRunning(pid);
        if (ticks == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(bootInstant().plus(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The state letter (R, S, D, Z, X, ...). */
    public char state() {
        return fields[0].isEmpty() ? '?' : fields[0].charAt(0);
    }

    /** Neither a zombie nor dead. */
    public boolean live() {
        char s = state();
        return s != 'Z' && s != 'X';
    }

    /** Field 6, the session id. */
    public long sessionId() {
        return number(3);
    }

    /** Field 22, the start time in clock ticks after boot. */
    public long startTicks() {
        return number(19);
    }

    private long number(int index) {
        return index < fields.length ? Long.parseLong(fields[index]) : -1;
    }

    /** Now less the time since boot (CLOCK_BOOTTIME, as the start ticks are), read from /proc/uptime. */
    static Instant bootInstant() throws IOException {
        Instant now = Instant.now();
        String uptime = Files.readString(Path.of("/proc/uptime"));
        String seconds = uptime.substring(0, uptime.indexOf(' '));
        long centis = Long.parseLong(seconds.replace(".", "")); // two decimals, as the kernel prints it
        return now.minus(Duration.ofMillis(centis * 10));
    }
}
