package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    /** The kernel counts in 10 ms ticks and prints uptime to 10 ms: 30 ms covers both roundings and the clock read. */
    private static final Duration SLACK = Duration.ofMillis(30);

    @Test
    void aProcessStartIsKnownToAFewTicks() throws Exception {
        for (int i = 0; i < 5; i++) {
            Instant before = Instant.now();
            Process p = new ProcessBuilder("sleep", "5").start();
            try {
                Instant after = Instant.now();
                Instant started = ProcStat.startOfRunning((int) p.pid()).orElseThrow();
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
        assertTrue(ProcStat.startOfRunning((int) p.pid()).isEmpty());
        assertTrue(ProcStat.startOfRunning(0).isEmpty());
        assertTrue(ProcStat.startOfRunning(-1).isEmpty());
        assertFalse(ProcStat.running(p.pid()));
        assertTrue(ProcStat.running(ProcessHandle.current().pid()));
    }

    @Test
    void aZombieIsNotRunningButItsLineIsRead() throws Exception {
        // a child that is not reaped yet: the JDK reaps on its own thread, so a shell's child is used
        Process sh = new ProcessBuilder("sh", "-c", "sleep 0.01 & exec sleep 5").start();
        try {
            long zombie = -1;
            for (int i = 0; i < 200 && zombie < 0; i++) {
                Thread.sleep(10);
                zombie = sh.children().mapToLong(ProcessHandle::pid)
                        .filter(pid -> ProcStat.read(pid).map(s -> s.state() == 'Z').orElse(false))
                        .findFirst().orElse(-1);
            }
            assertTrue(zombie > 0, "no zombie child appeared");
            assertFalse(ProcStat.running(zombie));
            assertTrue(ProcStat.startTicksOfRunning(zombie) == 0);
            assertTrue(ProcStat.read(zombie).orElseThrow().startTicks() > 0);
            // a CI runner may sit in session 0, so the field is checked against the shell's, which it shares
            assertEquals(ProcStat.read(sh.pid()).orElseThrow().sessionId(), ProcStat.read(zombie).orElseThrow().sessionId());
            assertTrue(ProcStat.read(zombie).orElseThrow().sessionId() >= 0);
        } finally {
            sh.destroyForcibly().waitFor();
        }
    }
}
