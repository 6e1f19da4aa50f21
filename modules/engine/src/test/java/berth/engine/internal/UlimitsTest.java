package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Rlimit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** podman 4.3.1's ulimit rules (specgenutil and addRlimits), value by value. */
class UlimitsTest {
    private static String show(List<Rlimit> rl) {
        StringBuilder b = new StringBuilder();
        for (Rlimit r : rl) {
            b.append(r.type()).append('=').append(r.soft()).append(':').append(r.hard()).append(' ');
        }
        return b.toString().strip();
    }

    @Test
    void containersConfDefaultsBecomeTheSpecsRlimitsInOrder() {
        assertEquals("RLIMIT_NOFILE=20000:20000 RLIMIT_NPROC=32768:32768",
                show(Ulimits.resolve(List.of(), List.of("nofile=20000:20000", "nproc=32768:32768"))));
    }

    @Test
    void flagsReplaceTheDefaultsAndPodmansDefaultFillsNofileAndNproc() {
        // a string-slice flag's default goes entirely once the flag is given: nproc falls back to 1048576
        assertEquals("RLIMIT_NOFILE=1024:2048 RLIMIT_NPROC=1048576:1048576",
                show(Ulimits.resolve(List.of("nofile=1024:2048"), List.of("nofile=20000:20000", "nproc=32768:32768"))));
        assertEquals("RLIMIT_CORE=0:0 RLIMIT_NOFILE=1048576:1048576 RLIMIT_NPROC=1048576:1048576",
                show(Ulimits.resolve(List.of("core=0"), null)));
    }

    @Test
    void aLaterValueOfOneTypeReplacesTheEarlierInPlace() {
        assertEquals("RLIMIT_NOFILE=10:20 RLIMIT_NPROC=5:5",
                show(Ulimits.resolve(List.of("nofile=1:2", "nproc=5", "nofile=10:20"), null)));
    }

    @Test
    void hostMeansNoRlimitsAndNothingConfiguredMeansTheEnginesOwn() {
        assertTrue(Ulimits.resolve(List.of("nofile=1:2", "host"), null).isEmpty());
        assertTrue(Ulimits.resolve(List.of(), List.of("host")).isEmpty());
        assertNull(Ulimits.resolve(List.of(), null));
    }

    @Test
    void malformedValuesAreRefusedWithPodmansWords() {
        for (String bad : List.of("nofile", "bogus=1", "nofile=a", "nofile=1:2:3", "nofile=10:5")) {
            BerthException e = assertThrows(BerthException.class, () -> Ulimits.parse(bad), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("ulimit option \"" + bad + "\" requires name=SOFT:HARD"), e.getMessage());
        }
        assertTrue(assertThrows(BerthException.class, () -> Ulimits.parse("nofile=10:5")).getMessage()
                .contains("soft limit must be less than or equal to hard limit: 10 > 5"));
        assertEquals(-1, Ulimits.parse("core=-1").hard(), "unlimited");
    }
}
