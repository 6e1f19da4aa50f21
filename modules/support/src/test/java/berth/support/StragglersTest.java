package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StragglersTest {
    private static Process withEnv(String key, String value, String seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", seconds);
        pb.environment().put(key, value);
        return pb.start();
    }

    @Test
    void findsAProcessByAWholeEnvironmentEntryOnly() throws Exception {
        String id = UUID.randomUUID().toString();
        Process exact = withEnv("STRAGGLER_TEST", id, "30");
        Process longer = withEnv("STRAGGLER_TEST", id + "x", "30");
        try {
            assertEquals(List.of(exact.pid()), Stragglers.withEnvironment("STRAGGLER_TEST=" + id));
            assertEquals(List.of(), Stragglers.withEnvironment("STRAGGLER_TEST=" + UUID.randomUUID()));
        } finally {
            exact.destroyForcibly().waitFor();
            longer.destroyForcibly().waitFor();
        }
    }

    @Test
    void waitsForAStragglerThatFinishes() throws Exception {
        String id = UUID.randomUUID().toString();
        Process p = withEnv("STRAGGLER_TEST", id, "0.4");
        long start = System.nanoTime();
        assertEquals(1, Stragglers.awaitOrKill("STRAGGLER_TEST=" + id, 10_000));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(p.waitFor(1, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "it ended on its own, not killed");
        assertTrue(waited < 5_000, "waited " + waited + " ms");
    }

    @Test
    void killsAStragglerThatHangs() throws Exception {
        String id = UUID.randomUUID().toString();
        Process p = withEnv("STRAGGLER_TEST", id, "60");
        assertEquals(1, Stragglers.awaitOrKill("STRAGGLER_TEST=" + id, 200));
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertFalse(p.isAlive());
        assertEquals(0, Stragglers.awaitOrKill("STRAGGLER_TEST=" + id, 200), "none left");
    }
}
