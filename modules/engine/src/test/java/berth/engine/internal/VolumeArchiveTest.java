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
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volume export | volume import}: content, modes and links survive; a hostile tar writes nothing outside. */
class VolumeArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void exportThenImportKeepsFilesModesAndLinks() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/file.txt"), "hello volume\n");
        Files.setPosixFilePermissions(src.resolve("a/b/file.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("a/b/file.txt"));
        Files.write(src.resolve("big"), new byte[300_000]);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        VolumeArchive.export(src, tar);

        Path dst = Files.createDirectories(tmp.resolve("dst"));
        VolumeArchive.importInto(dst, new ByteArrayInputStream(tar.toByteArray()));
        assertEquals("hello volume\n", Files.readString(dst.resolve("a/b/file.txt")));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("a/b/file.txt"))));
        assertEquals(Path.of("a/b/file.txt"), Files.readSymbolicLink(dst.resolve("link")));
        assertEquals(300_000, Files.size(dst.resolve("big")));
        assertEquals(Files.getLastModifiedTime(src.resolve("a/b/file.txt")).toMillis() / 1000,
                Files.getLastModifiedTime(dst.resolve("a/b/file.txt")).toMillis() / 1000);
    }

    private static byte[] tarOf(List<TarArchiveEntry> entries, String content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            for (TarArchiveEntry e : entries) {
                byte[] data = e.isFile() ? content.getBytes(StandardCharsets.UTF_8) : new byte[0];
                if (e.isFile()) {
                    e.setSize(data.length);
                }
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void anEntryThatClimbsOutIsRefused() throws Exception {
        Path vol = Files.createDirectories(tmp.resolve("vol"));
        byte[] tar = tarOf(List.of(new TarArchiveEntry("../escaped")), "pwned");
        assertThrows(BerthException.class, () -> VolumeArchive.importInto(vol, new ByteArrayInputStream(tar)));
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void aFileIsNeverWrittenThroughASymlinkOutOfTheVolume() throws Exception {
        Path vol = Files.createDirectories(tmp.resolve("vol"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        TarArchiveEntry link = new TarArchiveEntry("evil", TarArchiveEntry.LF_SYMLINK);
        link.setLinkName(outside.toString());
        byte[] tar = tarOf(List.of(link, new TarArchiveEntry("evil/owned")), "pwned");
        BerthException e = assertThrows(BerthException.class, () -> VolumeArchive.importInto(vol, new ByteArrayInputStream(tar)));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("owned")));
    }
}
