package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deletesATreeButNotWhatItsSymlinksPointAt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "keep");
        Path root = Files.createDirectories(tmp.resolve("root/a/b"));
        Files.writeString(root.resolve("f"), "x");
        Files.createSymbolicLink(tmp.resolve("root/a/link-to-dir"), outside);
        Files.createSymbolicLink(tmp.resolve("root/link-to-file"), outside.resolve("precious"));
        Files.createSymbolicLink(tmp.resolve("root/dangling"), tmp.resolve("nowhere"));

        FileTrees.delete(tmp.resolve("root"));

        assertFalse(Files.exists(tmp.resolve("root"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(outside.resolve("precious")));
    }

    @Test
    void aSymlinkRootIsDeletedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("f"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), outside);
        FileTrees.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("f")));
    }

    @Test
    void aMissingPathIsNoError() {
        FileTrees.delete(tmp.resolve("never/was"));
        FileTrees.delete(tmp.resolve("nothing"));
    }
}
