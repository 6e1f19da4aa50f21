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

    @Test
    void aProcessOnItsWayOutIsNotRunning() {
        // slirp4netns killed while the kernel unregisters its tap: state D, PF_EXITING (0x4) in field 9
        String exiting = "4242 (slirp4netns) D 1 4242 4242 0 -1 4194564 120 0 0 0 0 0 0 0 20 0 1 0 3500 0 0";
        String sleeping = "4242 (slirp4netns) S 1 4242 4242 0 -1 4194560 120 0 0 0 0 0 0 0 20 0 1 0 3500 0 0";
        String oddName = "77 (a) b (c)) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 9 0 0";
        assertTrue(ProcStat.parse(exiting).orElseThrow().exiting());
        assertFalse(ProcStat.parse(exiting).orElseThrow().live());
        assertFalse(ProcStat.parse(sleeping).orElseThrow().exiting());
        assertTrue(ProcStat.parse(sleeping).orElseThrow().live());
        assertEquals(3500, ProcStat.parse(sleeping).orElseThrow().startTicks());
        assertEquals(77, ProcStat.parse(oddName).orElseThrow().sessionId());
        assertEquals('S', ProcStat.parse(oddName).orElseThrow().state());
        assertTrue(ProcStat.parse("no name here").isEmpty());
    }
}
