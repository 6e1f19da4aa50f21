package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomBytesTest {
    @Test
    void givesTheLengthAskedAndDifferentBytesEachCall() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] b = RandomBytes.of(32);
            assertEquals(32, b.length);
            seen.add(Arrays.toString(b));
        }
        assertEquals(100, seen.size());
        assertEquals(0, RandomBytes.of(0).length);
    }

    @Test
    void usesEveryBitValue() {
        byte[] b = RandomBytes.of(4096);
        int or = 0;
        int and = 0xff;
        for (byte x : b) {
            or |= x & 0xff;
            and &= x & 0xff;
        }
        assertEquals(0xff, or);
        assertFalse(and == 0xff);
    }
}
