package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.kernel.error.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths inside a container's root never resolve outside it, whatever the path or the links say. */
class RootedPathsTest {
    @TempDir
    Path tmp;

    @Test
    void dotDotStopsAtTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        assertEquals(root.resolve("etc/hostname"), RootedPaths.resolve(root, "/../../../etc/hostname", true));
        assertEquals(root.resolve("etc/hostname"), RootedPaths.resolve(root, "a/../../etc/./hostname", true));
        assertEquals(root, RootedPaths.resolve(root, "/", true));
    }

    @Test
    void absoluteAndRelativeLinksAreFollowedInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("real/dir"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/real"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../real"));
        Files.createSymbolicLink(root.resolve("hostetc"), Path.of("/etc"));
        assertEquals(root.resolve("real/dir"), RootedPaths.resolve(root, "/abs/dir", true));
        assertEquals(root.resolve("real/dir"), RootedPaths.resolve(root, "/up/dir", true));
        // the host's /etc is never reached: the link means the container's /etc
        assertEquals(root.resolve("etc/passwd"), RootedPaths.resolve(root, "/hostetc/passwd", true));
    }

    @Test
    void theLastLinkIsKeptUnlessAskedToFollow() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("/target"));
        assertEquals(root.resolve("link"), RootedPaths.resolve(root, "/link", false));
        assertEquals(root.resolve("target"), RootedPaths.resolve(root, "/link", true));
    }

    @Test
    void aLinkLoopIsAnError() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
        assertThrows(BerthException.class, () -> RootedPaths.resolve(root, "/a/x", true));
    }
}
