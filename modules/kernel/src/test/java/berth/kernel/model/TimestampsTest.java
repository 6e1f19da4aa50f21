package berth.kernel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Timestamps must write exactly what Instant.toString writes and read it back as Instant.parse does. */
class TimestampsTest {
    @Test
    void matchesJavaTimeOnRandomInstants() {
        Random r = new Random(3);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long sec = min + Math.floorMod(r.nextLong(), max - min + 1);
            int nano;
            switch (r.nextInt(4)) {
                case 0: nano = 0; break;
                case 1: nano = r.nextInt(1000) * 1_000_000; break;
                case 2: nano = r.nextInt(1_000_000) * 1000; break;
                default: nano = r.nextInt(1_000_000_000);
            }
            Instant t = Instant.ofEpochSecond(sec, nano);
            String s = Timestamps.format(t);
            assertEquals(t.toString(), s);
            assertEquals(t, Timestamps.parse(s), s);
        }
    }

    @Test
    void edgesAndOtherFormsFallBackToJavaTime() {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "2000-02-29T12:00:00.5Z", "2024-12-31T23:59:59.999999999Z",
                "1969-12-31T23:59:59.1Z", "0000-01-01T00:00:00Z"}) {
            assertEquals(Instant.parse(s), Timestamps.parse(s), s);
        }
        assertEquals(Instant.parse("2026-11-25T22:00:00+01:00"), Timestamps.parse("2026-11-25T22:00:00+01:00"));
        assertEquals("+10000-01-01T00:00:00Z", Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z")));
        // odd forms: whatever java.time makes of them, Timestamps makes too
        for (String odd : new String[] {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z",
                "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00.1234567890Z", "2026-11-25 10:00:00Z", "x", "2026-11-25T10:00:60Z"}) {
            Object expected;
            try {
                expected = Instant.parse(odd);
            } catch (DateTimeParseException e) {
                assertThrows(DateTimeParseException.class, () -> Timestamps.parse(odd), odd);
                continue;
            }
            assertEquals(expected, Timestamps.parse(odd), odd);
        }
    }
}
