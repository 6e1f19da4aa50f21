package berth.engine.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Go's time formats and Go's rule for the local zone. */
class GoTimeTest {
    @TempDir
    Path tmp;

    @Test
    void rfc3339NanoTrimsTrailingZerosAndWritesZForUtc() {
        assertEquals("2026-12-03T12:00:00Z", GoTime.rfc3339Nano(OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZoneOffset.UTC)));
        assertEquals("2026-12-03T12:00:00.1Z", GoTime.rfc3339Nano(OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 100_000_000, ZoneOffset.UTC)));
        assertEquals("2026-12-03T12:00:00.000000001-07:30",
                GoTime.rfc3339Nano(OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 1, ZoneOffset.ofHoursMinutes(-7, -30))));
        assertEquals("0099-01-01T00:00:00Z", GoTime.rfc3339Nano(OffsetDateTime.of(99, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
    }

    @Test
    void parsingTakesWhatGoWrites() {
        for (String s : new String[] {"2026-12-03T12:00:00Z", "2026-12-03T12:00:00.1Z", "2026-12-03T12:00:00.000000001-07:30",
                "2022-04-06T11:26:42.723667900+02:00"}) {
            assertEquals(s.replace("723667900", "7236679"), GoTime.rfc3339Nano(GoTime.parseRfc3339(s)));
        }
    }

    @Test
    void displayIsGosTimeString() {
        assertEquals("2026-12-03 12:00:00.5 +0000 UTC", GoTime.display(OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 500_000_000, ZoneOffset.UTC)));
    }

    @Test
    void theLocalZoneIsUtcByGosRule() throws Exception {
        Path missing = tmp.resolve("localtime");
        assertTrue(GoTime.utcZoneName("", missing)); // TZ set but empty: UTC
        assertTrue(GoTime.utcZoneName(":UTC", missing));
        assertTrue(GoTime.utcZoneName("Etc/UTC", missing));
        assertFalse(GoTime.utcZoneName("Europe/Berlin", missing));
        assertTrue(GoTime.utcZoneName(null, missing)); // no /etc/localtime: UTC
        Files.createSymbolicLink(missing, Path.of("/usr/share/zoneinfo/Etc/UTC"));
        assertTrue(GoTime.utcZoneName(null, missing));
        Path berlin = tmp.resolve("berlin");
        Files.createSymbolicLink(berlin, Path.of("/usr/share/zoneinfo/Europe/Berlin"));
        assertFalse(GoTime.utcZoneName(null, berlin));
        Path copied = tmp.resolve("copied");
        Files.writeString(copied, "TZif");
        assertFalse(GoTime.utcZoneName(null, copied)); // not a link: java.time decides
    }
}
