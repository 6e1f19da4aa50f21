package berth.engine.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** podman's ParseInputTime, shape by shape. */
class InputTimeTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static Instant since(String s) {
        return InputTime.parse(s, true, NOW);
    }

    @Test
    void rfc3339WithAndWithoutFraction() {
        assertEquals(Instant.parse("2022-03-06T09:26:42.723667984Z"), since("2022-03-06T11:26:42.723667984+02:00"));
        assertEquals(Instant.parse("2026-12-03T11:00:00Z"), since("2026-12-03T11:00:00Z"));
        assertEquals(Instant.parse("2026-12-03T11:00:00Z"), since("2026-12-03T12:00:00+01:00"));
    }

    @Test
    void dateTimesAndDatesWithoutZoneAreUtc() {
        assertEquals(Instant.parse("2026-12-03T11:00:00Z"), since("2026-12-03T11:00:00"));
        assertEquals(Instant.parse("2026-12-03T11:00:00.5Z"), since("2026-12-03T11:00:00.5"));
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), since("2026-12-03"));
        assertEquals(Instant.parse("2026-12-02T22:00:00Z"), since("2026-12-03+02:00"));
    }

    @Test
    void unixSecondsWithAFraction() {
        assertEquals(Instant.ofEpochSecond(1700000000), since("1700000000"));
        assertEquals(Instant.ofEpochSecond(1700000000, 250_000_000), since("1700000000.25"));
    }

    @Test
    void durationsCountBackForSinceAndForwardForUntil() {
        assertEquals(NOW.minusSeconds(600), since("10m"));
        assertEquals(NOW.plusSeconds(600), InputTime.parse("10m", false, NOW));
        assertEquals(NOW.minusSeconds(5430), since("1h30m30s"));
        assertEquals(NOW.minusMillis(1500), since("1.5s"));
        assertEquals(Instant.EPOCH, since("0")); // a number first: unix seconds, as in podman
        assertEquals(NOW.plusSeconds(60), since("-1m"));
    }

    @Test
    void anythingElseIsPodmansError() {
        for (String bad : new String[] {"yesterday", "10", "10x", "", "2026-13-01", "m"}) {
            if (bad.equals("10")) {
                continue; // a plain number is unix seconds
            }
            assertEquals("unable to interpret time value", assertThrows(IllegalArgumentException.class, () -> since(bad)).getMessage(), bad);
        }
    }
}
