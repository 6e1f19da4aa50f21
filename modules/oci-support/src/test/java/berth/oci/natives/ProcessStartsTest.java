package berth.oci.natives;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcessStartsTest {
    /** The kernel counts in 10 ms ticks and prints uptime to 10 ms: 30 ms covers both roundings and the clock read. */
    private static final Duration SLACK = Duration.ofMillis(30);

    @Test
    void aProcessStartIsKnownToAFewTicks() throws Exception {
        for (int i = 0; i < 5; i++) {
            Instant before = Instant.now();
            Process p = new ProcessBuilder("sleep", "5").start();
            try {
                Instant after = Instant.now();
                Instant started = ProcessStarts.of((int) p.pid()).orElseThrow();
                assertFalse(started.isBefore(before.minus(SLACK)), started + " is before " + before);
                assertFalse(started.isAfter(after.plus(SLACK)), started + " is after " + after);
            } finally {
                p.destroyForcibly().waitFor();
            }
            Thread.sleep(37); // a different phase against the tick on each round
        }
    }

    @Test
    void aGoneOrZombieProcessHasNoStart() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertTrue(ProcessStarts.of((int) p.pid()).isEmpty());
        assertTrue(ProcessStarts.of(0).isEmpty());
        assertTrue(ProcessStarts.of(-1).isEmpty());
    }
}
