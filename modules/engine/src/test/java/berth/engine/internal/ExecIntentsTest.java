package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec journal's recovery side: what a starter killed at any moment leaves is found and goes. */
class ExecIntentsTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryLeftWithoutASessionGoesAtTheNextLook() throws Exception {
        ExecIntents intents = new ExecIntents(tmp);
        // a starter killed after it made the container's directory, before it wrote its intent
        Path dir = Files.createDirectories(tmp.resolve("exec-intents").resolve("c1"));
        assertTrue(intents.any("c1"));
        assertEquals(List.of("c1"), intents.containers());
        assertEquals(List.of(), intents.orphaned("c1"));
        assertFalse(Files.exists(dir), "the empty directory stayed");
        assertFalse(intents.any("c1"));
        assertEquals(List.of(), intents.containers());
    }

    @Test
    void aKilledWritersOldTemporaryFileGoesWithItButAFreshOneStays() throws Exception {
        ExecIntents intents = new ExecIntents(tmp);
        Path dir = Files.createDirectories(tmp.resolve("exec-intents").resolve("c2"));
        Path fresh = Files.writeString(dir.resolve(".s1.tmp"), "{");
        assertEquals(List.of(), intents.orphaned("c2"));
        assertTrue(Files.exists(fresh), "a live writer's temporary file was removed");
        Files.setLastModifiedTime(fresh, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertEquals(List.of(), intents.orphaned("c2"));
        assertFalse(Files.exists(dir), "a killed writer's leftovers stayed");
    }

    @Test
    void aSessionOfALiveStarterIsNotOrphanedAndItsDirectoryStays() {
        ExecIntents intents = new ExecIntents(tmp);
        intents.begin("c3", "s1", false, List.of("true"));
        assertEquals(List.of(), intents.orphaned("c3"));
        assertTrue(intents.any("c3"));
        intents.end("c3", "s1");
        assertFalse(intents.any("c3"));
    }
}
