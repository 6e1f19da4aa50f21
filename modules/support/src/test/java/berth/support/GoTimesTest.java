package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GoTimesTest {
    // the expected strings are what Go 1.19's time.Time.MarshalJSON prints for the same instants
    @Test
    void trailingZerosOfTheFractionAreTrimmedAsGoDoes() {
        assertEquals("2026-12-03T18:27:18.98013598Z", GoTimes.rfc3339Nano(Instant.parse("2026-12-03T18:27:18.980135980Z")));
        assertEquals("2026-12-03T18:27:18.5Z", GoTimes.rfc3339Nano(Instant.parse("2026-12-03T18:27:18.500Z")));
        assertEquals("2026-12-03T18:27:18.000000001Z", GoTimes.rfc3339Nano(Instant.parse("2026-12-03T18:27:18.000000001Z")));
        assertEquals("2026-12-03T18:27:18Z", GoTimes.rfc3339Nano(Instant.parse("2026-12-03T18:27:18Z")));
        assertEquals("2026-12-03T18:27:00Z", GoTimes.rfc3339Nano(Instant.parse("2026-12-03T18:27:00Z")));
    }
}
