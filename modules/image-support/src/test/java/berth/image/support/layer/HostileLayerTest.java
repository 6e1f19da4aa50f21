package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers crafted to write outside the extraction root: each is refused with an IOException naming
 * the entry, and the host directory next to the root (and /etc) is left exactly as it was.
 */
class HostileLayerTest {
    @TempDir
    Path base;
    Path root;
    Path outside;
    TreeMap<String, String> outsideBefore;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(base.resolve("layers/root"));
        outside = Files.createDirectories(base.resolve("OUTSIDE"));
        Files.writeString(outside.resolve("secret"), "do not touch");
        outsideBefore = snapshot(base);
    }

    private IOException refused(TestTars tar, WhiteoutMode mode) {
        byte[] bytes = tar.build();
        IOException e = assertThrows(IOException.class,
                () -> LayerExtractor.extract(new ByteArrayInputStream(bytes), root, ExtractOptions.of(mode)));
        assertNothingOutside();
        return e;
    }

    private IOException refused(TestTars tar) {
        return refused(tar, WhiteoutMode.OVERLAY);
    }

    /** Everything under base except the root is as before. */
    private void assertNothingOutside() {
        try {
            assertEquals(outsideBefore, snapshot(base));
            assertEquals("do not touch", Files.readString(outside.resolve("secret")));
            assertFalse(Files.exists(Path.of("/x")), "/x appeared on the host");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private TreeMap<String, String> snapshot(Path dir) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.startsWith(root)) {
                    continue;
                }
                String kind = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : "file:" + Files.readString(p) + ":" + Files.getAttribute(p, "unix:nlink");
                m.put(base.relativize(p).toString(), kind);
            }
        }
        return m;
    }

    @Test
    void dotDotEscapeIsRefused() {
        IOException e = refused(new TestTars().file("../../x", "pwned"));
        assertEquals("layer entry \"../../x\" escapes the root", e.getMessage());
        assertFalse(Files.exists(base.resolve("x")));
    }

    @Test
    void absoluteNameClimbingOutIsRefused() {
        IOException e = refused(new TestTars().file("/abs/../../x", "pwned"));
        assertTrue(e.getMessage().contains("\"/abs/../../x\" escapes the root"), e.getMessage());
    }

    @Test
    void absoluteNameIsTakenRelativeToTheRoot() throws IOException {
        LayerExtractor.extract(new ByteArrayInputStream(new TestTars().file("/etc/x", "inside").build()), root,
                ExtractOptions.of(WhiteoutMode.OVERLAY));
        assertEquals("inside", Files.readString(root.resolve("etc/x")));
        assertNothingOutside();
    }

    @Test
    void symlinkedParentPointingOutIsRefused() {
        IOException e = refused(new TestTars().symlink("a", outside.toString()).file("a/file", "pwned"));
        assertTrue(e.getMessage().startsWith("layer entry \"a/file\""), e.getMessage());
        assertFalse(Files.exists(outside.resolve("file")));
    }

    @Test
    void symlinkToEtcThenPasswdIsRefused() {
        refused(new TestTars().symlink("a", "/etc").file("a/passwd", "root::0:0::/:/bin/sh\n"));
        assertFalse(Files.exists(root.resolve("etc/passwd")));
    }

    @Test
    void relativeSymlinkClimbingOutIsRefusedWhenWrittenThrough() {
        refused(new TestTars().symlink("up", "../../").file("up/x", "pwned"));
        refused(new TestTars().dir("d/").symlink("d/up", "../../../OUTSIDE").file("d/up/secret", "pwned"));
    }

    @Test
    void hardLinkToAHostFileIsRefused() {
        IOException e = refused(new TestTars().hardlink("passwd", "/etc/passwd"));
        assertTrue(e.getMessage().contains("does not exist in the layer"), e.getMessage());
        refused(new TestTars().hardlink("passwd", "../../../../../../etc/passwd"));
        assertFalse(Files.exists(root.resolve("passwd")));
    }

    @Test
    void hardLinkToASymlinkPointingOutIsRefused() {
        IOException e = refused(new TestTars().symlink("s", "../../OUTSIDE/secret").hardlink("h", "s"));
        assertTrue(e.getMessage().contains("leads outside the root"), e.getMessage());
    }

    @Test
    void hardLinkThroughASymlinkedParentIsRefused() {
        refused(new TestTars().symlink("o", "../../OUTSIDE").hardlink("h", "o/secret"));
        assertFalse(Files.exists(root.resolve("h")));
    }

    @Test
    void directoryReplacedByASymlinkIsNotWrittenThrough() {
        refused(new TestTars().dir("d/").file("d/ok", "fine").symlink("d", outside.toString()).file("d/x", "pwned"));
        refused(new TestTars().dir("e/").symlink("e", "../../OUTSIDE").file("e/secret", "pwned"));
        assertTrue(Files.isSymbolicLink(root.resolve("e")));
    }

    @Test
    void aSymlinkAsTheLastComponentIsReplacedNotFollowed() throws IOException {
        byte[] tar = new TestTars().symlink("f", outside.resolve("secret").toString()).file("f", "replaced").build();
        LayerExtractor.extract(new ByteArrayInputStream(tar), root, ExtractOptions.of(WhiteoutMode.OVERLAY));
        assertFalse(Files.isSymbolicLink(root.resolve("f")));
        assertEquals("replaced", Files.readString(root.resolve("f")));
        assertNothingOutside();
    }

    @Test
    void whiteoutThroughASymlinkDeletesNothingOutside() {
        refused(new TestTars().symlink("a", "../../OUTSIDE").file("a/.wh.secret", ""), WhiteoutMode.APPLY);
        refused(new TestTars().file("../.wh.OUTSIDE", ""), WhiteoutMode.APPLY);
        refused(new TestTars().symlink("b", outside.toString()).file("b/.wh..wh..opq", ""), WhiteoutMode.APPLY);
        refused(new TestTars().symlink("c", "../../OUTSIDE").file("c/.wh.secret", ""), WhiteoutMode.OVERLAY);
    }

    @Test
    void symlinksInsideTheRootAreFollowedAsInAChroot() throws IOException {
        byte[] tar = new TestTars().dir("usr/").dir("usr/bin/").symlink("bin", "usr/bin").symlink("sbin", "/usr/bin")
                .file("bin/foo", "foo").file("sbin/bar", "bar").build();
        LayerExtractor.extract(new ByteArrayInputStream(tar), root, ExtractOptions.of(WhiteoutMode.APPLY));
        assertEquals("foo", Files.readString(root.resolve("usr/bin/foo")));
        assertEquals("bar", Files.readString(root.resolve("usr/bin/bar")));
        assertTrue(Files.isSymbolicLink(root.resolve("bin")));
        assertNothingOutside();
    }

    @Test
    void symlinkTextMayPointAnywhere() throws IOException {
        byte[] tar = new TestTars().symlink("host", "/etc/passwd").symlink("up", "../../../..//x/").build();
        LayerExtractor.extract(new ByteArrayInputStream(tar), root, ExtractOptions.of(WhiteoutMode.OVERLAY));
        assertEquals("/etc/passwd", new String(FileSystemCalls.readlink(root.resolve("host")), StandardCharsets.UTF_8));
        assertEquals("../../../..//x/", new String(FileSystemCalls.readlink(root.resolve("up")), StandardCharsets.UTF_8));
        assertNothingOutside();
    }

    @Test
    void aDirectoryReplacedByASymlinkDoesNotGetItsTimesSetThroughIt() throws IOException {
        Path hostDir = Files.createDirectories(outside.resolve("b"));
        java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.fromMillis(1_234_567_000L);
        Files.setLastModifiedTime(hostDir, before);
        outsideBefore = snapshot(base);
        byte[] tar = new TestTars().mtime(999_999_999L).dir("a/").dir("a/b/").symlink("a", "../../OUTSIDE").build();
        LayerExtractor.extract(new ByteArrayInputStream(tar), root, ExtractOptions.of(WhiteoutMode.OVERLAY));
        assertEquals(before, Files.getLastModifiedTime(hostDir), "a host directory's mtime was set through a layer's symlink");
        assertTrue(Files.isSymbolicLink(root.resolve("a")));
        assertNothingOutside();
    }

    @Test
    void symlinkLoopsAndFileParentsAreRefused() {
        IOException e = refused(new TestTars().symlink("a", "b").symlink("b", "a").file("a/x", "loop"));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
        e = refused(new TestTars().file("f", "plain").file("f/x", "under a file"));
        assertEquals("layer entry \"f/x\": its parent \"f\" is not a directory", e.getMessage());
    }

    @Test
    void hostPasswdIsUntouched() throws IOException {
        long nlink = ((Number) Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).longValue();
        String before = Files.readString(Path.of("/etc/passwd"));
        for (TestTars t : List.of(new TestTars().symlink("a", "/etc").file("a/passwd", "x"),
                new TestTars().hardlink("p", "/etc/passwd"), new TestTars().file("../../../../../../../etc/passwd", "x"))) {
            refused(t);
        }
        assertEquals(before, Files.readString(Path.of("/etc/passwd")));
        assertEquals(nlink, ((Number) Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).longValue());
    }
}
