package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cp}'s archive halves: what is packed, and that unpacking never leaves the destination's root. */
class TreeCopyTest {
    @TempDir
    Path tmp;

    private static final TreeExtractor.Options KEEP = new TreeExtractor.Options(null, false, Map.of());

    @Test
    void packsADirectoryWithLinksAndHardLinksAndUnpacksItTheSame() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/dir/sub"));
        Files.writeString(src.resolve("f"), "data\n");
        Files.setPosixFilePermissions(src.resolve("f"), PosixFilePermissions.fromString("rwxr-----"));
        Files.createLink(src.resolve("hard"), src.resolve("f"));
        Files.createSymbolicLink(tmp.resolve("src/dir/abs"), Path.of("/etc/shadow"));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TreeArchiver.write(ContainerTree.of(tmp.resolve("src")), "/dir", "dir", null, tar);
        List<String> names = names(tar.toByteArray());
        assertEquals(List.of("dir/", "dir/abs", "dir/sub/", "dir/sub/f", "dir/sub/hard"), names);

        Path dst = Files.createDirectories(tmp.resolve("dst"));
        TreeExtractor.extract(ContainerTree.of(dst), "/", new ByteArrayInputStream(tar.toByteArray()), KEEP);
        assertEquals("data\n", Files.readString(dst.resolve("dir/sub/hard")));
        assertEquals("rwxr-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("dir/sub/f"))));
        assertEquals(Files.getAttribute(dst.resolve("dir/sub/f"), "unix:ino"), Files.getAttribute(dst.resolve("dir/sub/hard"), "unix:ino"));
        assertEquals(Path.of("/etc/shadow"), Files.readSymbolicLink(dst.resolve("dir/abs")), "a link is copied as a link");
    }

    @Test
    void contentOnlyLeavesTheDirectoryOut() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/dir"));
        Files.writeString(src.resolve("a"), "a");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TreeArchiver.write(ContainerTree.of(tmp.resolve("src")), "/dir", null, new TreeArchiver.Owner(7, 8), tar);
        List<TarArchiveEntry> entries = entries(tar.toByteArray());
        assertEquals(1, entries.size());
        assertEquals("a", entries.get(0).getName());
        assertEquals(7, entries.get(0).getLongUserId(), "the owner given replaces the file's");
        assertEquals(8, entries.get(0).getLongGroupId());
    }

    @Test
    void anEntryThroughALinkOfTheArchiveStaysInTheDestination() throws Exception {
        Path secret = Files.createDirectories(tmp.resolve("secret"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        // the classic escape: a link to the host's directory, then a file written "under" it
        byte[] tar = tar(link("escape", secret.toString()), file("escape/pwned", "x"));
        TreeExtractor.extract(ContainerTree.of(dst), "/", new ByteArrayInputStream(tar), KEEP);
        assertFalse(Files.exists(secret.resolve("pwned")), "nothing written beside the destination");
        assertTrue(Files.isSymbolicLink(dst.resolve("escape")));
        assertTrue(Files.exists(dst.resolve(secret.toString().substring(1)).resolve("pwned")), "it landed inside the root");
    }

    @Test
    void aRelativeLinkClimbingOutStaysInTheDestination() throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("a/b/dst"));
        byte[] tar = tar(link("up", "../../../.."), file("up/x", "x"));
        TreeExtractor.extract(ContainerTree.of(dst), "/", new ByteArrayInputStream(tar), KEEP);
        assertTrue(Files.exists(dst.resolve("x")));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void anExistingLinkIsReplacedNotWrittenThrough() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "keep");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.createSymbolicLink(dst.resolve("f"), secret);
        TreeExtractor.extract(ContainerTree.of(dst), "/", new ByteArrayInputStream(tar(file("f", "new"))), KEEP);
        assertEquals("keep", Files.readString(secret));
        assertFalse(Files.isSymbolicLink(dst.resolve("f")));
        assertEquals("new", Files.readString(dst.resolve("f")));
    }

    @Test
    void dotDotEntriesAreRefused() throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("dst/in"));
        BerthException e = assertThrows(BerthException.class, () -> TreeExtractor.extract(ContainerTree.of(tmp.resolve("dst")), "/in",
                new ByteArrayInputStream(tar(file("../x", "x"))), KEEP));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("dst/x")));
    }

    @Test
    void directoriesAndFilesReplaceEachOtherOnlyWithOverwrite() throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("dst/d"));
        byte[] tar = tar(file("d", "now a file"));
        assertThrows(BerthException.class, () -> TreeExtractor.extract(ContainerTree.of(tmp.resolve("dst")), "/",
                new ByteArrayInputStream(tar), KEEP));
        assertTrue(Files.isDirectory(dst));
        TreeExtractor.extract(ContainerTree.of(tmp.resolve("dst")), "/", new ByteArrayInputStream(tar),
                new TreeExtractor.Options(null, true, Map.of()));
        assertEquals("now a file", Files.readString(dst));
    }

    @Test
    void chownAndRename() throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        TreeExtractor.extract(ContainerTree.of(dst), "/", new ByteArrayInputStream(tar(file("old/f", "x"))),
                new TreeExtractor.Options(new TreeArchiver.Owner(1234, 4321), false, Map.of("old", "new")));
        assertEquals(1234, Files.getAttribute(dst.resolve("new/f"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(4321, Files.getAttribute(dst.resolve("new/f"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(1234, Files.getAttribute(dst.resolve("new"), "unix:uid"), "a parent made for an entry is the owner's too");
    }

    // ---------------------------------------------------------------- tar helpers

    private record Entry(TarArchiveEntry header, byte[] content) {
    }

    private static Entry file(String name, String content) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(b.length);
        e.setMode(0644);
        return new Entry(e, b);
    }

    private static Entry link(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        return new Entry(e, new byte[0]);
    }

    private static byte[] tar(Entry... entries) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            for (Entry e : entries) {
                t.putArchiveEntry(e.header());
                t.write(e.content());
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    private static List<TarArchiveEntry> entries(byte[] tar) throws Exception {
        List<TarArchiveEntry> l = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                l.add(e);
            }
        }
        return l;
    }

    private static List<String> names(byte[] tar) throws Exception {
        List<String> l = new ArrayList<>();
        for (TarArchiveEntry e : entries(tar)) {
            l.add(e.getName());
        }
        return l;
    }
}
