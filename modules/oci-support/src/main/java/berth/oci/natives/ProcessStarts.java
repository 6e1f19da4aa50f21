package berth.oci.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a process started, to about a clock tick. {@code ProcessHandle.Info.startInstant()} adds the
 * tick count to /proc/stat's {@code btime}, which the kernel truncates to a whole second, so its
 * answer can be up to a second early: too coarse to tell an exit file written just before a monitor
 * started from one written by it. Here the boot instant is taken from /proc/uptime instead (ten
 * milliseconds).
 */
public final class ProcessStarts {
    /** USER_HZ, which /proc/PID/stat counts in: 100 on every Linux architecture berth runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessStarts() {
    }

    /** The start of a live, non-zombie process; empty when it is gone or /proc cannot be read. */
    public static Optional<Instant> of(int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z")) {
                return Optional.empty();
            }
            long ticks = Long.parseLong(fields[19]); // field 22: start time in ticks after boot
            return Optional.of(bootInstant().plus(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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
