package berth.oci.conmon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Seed 004's probeConmon comparison, field by field. */
class ConmonProbeTest {
    @Test
    void newEnoughVersionsPass() {
        assertNull(ConmonProbe.check("conmon version 2.0.24"));
        assertNull(ConmonProbe.check("conmon version 2.1.6"));
        assertNull(ConmonProbe.check("conmon version 2.0.30\ncommit: x"));
        assertNull(ConmonProbe.check("conmon version 3.0.0"));
    }

    @Test
    void olderOrUnparseableVersionsFail() {
        assertNotNull(ConmonProbe.check("conmon version 2.0.23"));
        assertNotNull(ConmonProbe.check("conmon version 1.9.99"));
        assertNotNull(ConmonProbe.check("conmon 2.1.6"));
        assertNotNull(ConmonProbe.check(""));
    }
}
