package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters kept by content: one file per text, found again, never confused with another text. */
class SeccompFiltersTest {
    @TempDir
    Path tmp;

    @Test
    void oneFilePerTextFoundAgainByContent() throws Exception {
        Path dir = tmp.resolve("seccomp");
        Path a = SeccompFilters.keep("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", dir);
        assertEquals(a, SeccompFilters.keep("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", dir), "the same text, the same file");
        Path b = SeccompFilters.keep("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", dir);
        assertNotEquals(a, b);
        assertEquals("{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", SeccompFilters.read(b, "c1"));
    }

    @Test
    void aFileOfTheSameNameWithOtherTextIsNeverTakenForIt() throws Exception {
        Path dir = tmp.resolve("seccomp");
        Path a = SeccompFilters.keep("{\"x\":1}", dir);
        Files.writeString(a, "{\"x\":2}"); // as if another text had the same hash and length
        Path again = SeccompFilters.keep("{\"x\":1}", dir);
        assertNotEquals(a, again);
        assertEquals("{\"x\":1}", Files.readString(again));
    }

    @Test
    void aMissingFilterIsNamedWithItsContainer() {
        Path gone = tmp.resolve("gone.json");
        BerthException e = assertThrows(BerthException.class, () -> SeccompFilters.read(gone, "web"));
        assertTrue(e.getMessage().contains("container web") && e.getMessage().contains(gone.toString()), e.getMessage());
    }
}
