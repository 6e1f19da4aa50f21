package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void namesFollowPodmansRule() {
        for (String ok : new String[] {"a", "web-1", "A.b_c-d", "0x"}) {
            assertTrue(Names.isValidName(ok), ok);
        }
        for (String bad : new String[] {null, "", "-a", ".a", "_a", "a b", "a/b", "é", "a:b"}) {
            assertFalse(Names.isValidName(bad), bad);
        }
        assertTrue(Names.isValidName("a".repeat(63), 63));
        assertFalse(Names.isValidName("a".repeat(64), 63));
        BerthException e = assertThrows(BerthException.class, () -> Names.requireValidName("network", "a b"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("invalid network name \"a b\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"),
                e.getMessage());
        assertEquals("web", Names.requireValidName("container", "web"));
    }

    @Test
    void fileSafeValues() {
        assertEquals("a b", Names.requireFileSafe("container name", "a b"));
        for (String bad : new String[] {null, "", ".", "..", ".hidden", "a/b"}) {
            BerthException e = assertThrows(BerthException.class, () -> Names.requireFileSafe("container name", bad));
            assertTrue(e.getMessage().startsWith("invalid container name \"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void idsAndShortIds() {
        String id = "0123456789abcdef".repeat(4);
        assertTrue(Names.isFullId(id));
        assertFalse(Names.isFullId(id.toUpperCase()));
        assertFalse(Names.isFullId(id.substring(1)));
        assertFalse(Names.isFullId(null));
        assertEquals("0123456789ab", Names.shortId(id));
        assertEquals("abc", Names.shortId("abc"));
        assertEquals(id, Names.requireFullId("container", id));
        assertThrows(BerthException.class, () -> Names.requireFullId("container", "xyz"));
    }
}
