package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.kernel.error.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --log-opt max-size}: go-units' decimal sizes in, HumanSize out, as 030-run's log-opt test reads them. */
class LogSizesTest {
    @Test
    void maxSizeIsReadInPowersOfAThousand() {
        assertEquals(1_015_000, LogSizes.maxSize(List.of("max-size=1.015m")));
        assertEquals(9_099_000, LogSizes.maxSize(List.of("max-size=9.099m")));
        assertEquals(4096, LogSizes.maxSize(List.of("max-size=4096")));
        assertEquals(2000, LogSizes.maxSize(List.of("max-size=2kb")));
        assertEquals(0, LogSizes.maxSize(List.of()));
    }

    @Test
    void humanSizeHasFourSignificantDigitsAndNoSpace() {
        assertEquals("1.015MB", LogSizes.human(1_015_000));
        assertEquals("9.099MB", LogSizes.human(9_099_000));
        assertEquals("3MB", LogSizes.human(3_000_000));
        assertEquals("512B", LogSizes.human(512));
        assertEquals("0B", LogSizes.human(0));
    }

    @Test
    void unknownKeysAndBadSizesAreRefused() {
        assertThrows(BerthException.class, () -> LogSizes.maxSize(List.of("tag=x")));
        assertThrows(BerthException.class, () -> LogSizes.maxSize(List.of("max-size=lots")));
    }
}
