package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction of well-formed layers: what lands on disk, the digests, compression, tar-split round trips. */
class LayerExtractorTest {
    @TempDir
    Path base;

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(base.resolve(name));
    }

    /** A layer with one of every kind of entry. */
    static byte[] richLayer() {
        byte[] capability = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // binary, not UTF-8 text
        return new TestTars().mtime(1_500_000_000L)
                .dir("./")
                .dir("bin/", 0755)
                .file("bin/tool", "#!/bin/sh\necho tool\n", 04755, 0, 0, TestTars.xattr("security.capability", capability))
                .hardlink("bin/tool-again", "bin/tool")
                .symlink("bin/alias", "tool")
                .dir("data/", 02775)
                .file("data/owned", "owned by 1000:1001", 0640, 1000, 1001, TestTars.xattr("user.note", "café".getBytes(StandardCharsets.UTF_8)))
                .dir("tmp/", 01777)
                .fifo("data/pipe")
                .device("dev/null", TarHeader.CHAR_DEVICE, 1, 3)
                .device("dev/loop0", TarHeader.BLOCK_DEVICE, 7, 0)
                .file("long/" + "n".repeat(120) + "/" + "m".repeat(110), "long name")
                .file("big-uid", "x", 0600, 3_000_000, 3_000_001, Map.of())
                .build();
    }

    @Test
    void keepsEveryKindOfEntryWithItsMetadata() throws Exception {
        byte[] tar = richLayer();
        Path root = dir("root");
        LayerStats stats = LayerExtractor.extract(new ByteArrayInputStream(tar), root, ExtractOptions.of(WhiteoutMode.OVERLAY));
        assertEquals(sha256(tar), stats.diffId());
        assertEquals(tar.length, stats.uncompressedSize());
        assertEquals(sha256(tar), stats.compressedDigest());
        assertEquals(tar.length, stats.compressedSize());

        Path tool = root.resolve("bin/tool");
        assertEquals("#!/bin/sh\necho tool\n", Files.readString(tool));
        assertEquals(0104755, (int) Files.getAttribute(tool, "unix:mode"), "setuid kept after chown");
        assertEquals(2, (int) Files.getAttribute(tool, "unix:nlink"));
        assertEquals(Files.getAttribute(tool, "unix:ino"), Files.getAttribute(root.resolve("bin/tool-again"), "unix:ino"));
        assertArrayEquals(new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                FileSystemCalls.lgetxattr(tool, "security.capability"));
        assertEquals("tool", new String(FileSystemCalls.readlink(root.resolve("bin/alias")), StandardCharsets.UTF_8));
        assertEquals(FileTime.fromMillis(1_500_000_000_000L), Files.getLastModifiedTime(root.resolve("bin/alias"), LinkOption.NOFOLLOW_LINKS),
                "symlink's own time");

        Path owned = root.resolve("data/owned");
        assertEquals(1000, (int) Files.getAttribute(owned, "unix:uid"));
        assertEquals(1001, (int) Files.getAttribute(owned, "unix:gid"));
        assertEquals(0100640, (int) Files.getAttribute(owned, "unix:mode"));
        assertEquals("café", new String(FileSystemCalls.lgetxattr(owned, "user.note"), StandardCharsets.UTF_8));
        assertEquals(042775, (int) Files.getAttribute(root.resolve("data"), "unix:mode"), "setgid directory");
        assertEquals(041777, (int) Files.getAttribute(root.resolve("tmp"), "unix:mode"), "sticky directory");
        assertEquals(FileTime.fromMillis(1_500_000_000_000L), Files.getLastModifiedTime(root.resolve("data")),
                "a directory's time is set after its content");
        assertEquals(FileTime.fromMillis(1_500_000_000_000L), Files.getLastModifiedTime(root.resolve("bin")));
        assertEquals(010640, (int) Files.getAttribute(root.resolve("data/pipe"), "unix:mode"));
        assertEquals(020600, (int) Files.getAttribute(root.resolve("dev/null"), "unix:mode"));
        assertEquals(FileSystemCalls.makedev(1, 3), (long) Files.getAttribute(root.resolve("dev/null"), "unix:rdev"));
        assertEquals(060600, (int) Files.getAttribute(root.resolve("dev/loop0"), "unix:mode"));
        assertEquals(FileSystemCalls.makedev(7, 0), (long) Files.getAttribute(root.resolve("dev/loop0"), "unix:rdev"));
        assertEquals("long name", Files.readString(root.resolve("long/" + "n".repeat(120) + "/" + "m".repeat(110))));
        assertEquals(3_000_000, (int) Files.getAttribute(root.resolve("big-uid"), "unix:uid"));
        assertEquals(3_000_001, (int) Files.getAttribute(root.resolve("big-uid"), "unix:gid"));
    }

    @Test
    void readsGzipZstdAndPlainAlike() throws Exception {
        byte[] tar = richLayer();
        for (byte[] blob : new byte[][] {tar, gzip(tar), zstd(tar)}) {
            Path root = Files.createTempDirectory(base, "r");
            ByteArrayOutputStream split = new ByteArrayOutputStream();
            LayerStats stats = LayerExtractor.extract(new ByteArrayInputStream(blob), root, new ExtractOptions(WhiteoutMode.OVERLAY, split));
            assertEquals(sha256(tar), stats.diffId());
            assertEquals(tar.length, stats.uncompressedSize());
            assertEquals(sha256(blob), stats.compressedDigest());
            assertEquals(blob.length, stats.compressedSize());
            assertEquals("long name", Files.readString(root.resolve("long/" + "n".repeat(120) + "/" + "m".repeat(110))));
        }
        for (Compression c : Compression.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream compressing = c.compress(out)) {
                compressing.write(tar);
            }
            assertEquals(c, Compression.detect(new java.io.BufferedInputStream(new ByteArrayInputStream(out.toByteArray()))));
            assertArrayEquals(tar, Compression.decompressing(new ByteArrayInputStream(out.toByteArray())).readAllBytes(), c.name());
        }
        assertEquals(Compression.GZIP, Compression.detect(new java.io.BufferedInputStream(new ByteArrayInputStream(gzip(tar)))));
        assertEquals(Compression.ZSTD, Compression.detect(new java.io.BufferedInputStream(new ByteArrayInputStream(zstd(tar)))));
        assertEquals(Compression.NONE, Compression.detect(new java.io.BufferedInputStream(new ByteArrayInputStream(tar))));
    }

    @Test
    void truncatedGzipIsAnError() throws Exception {
        byte[] gz = gzip(richLayer());
        for (int cut : new int[] {gz.length / 2, gz.length - 4, 20}) {
            byte[] truncated = Arrays.copyOf(gz, cut);
            Path root = Files.createTempDirectory(base, "t");
            assertThrows(IOException.class,
                    () -> LayerExtractor.extract(new ByteArrayInputStream(truncated), root, ExtractOptions.of(WhiteoutMode.OVERLAY)),
                    "cut at " + cut);
        }
    }

    @Test
    void truncatedZstdIsAnError() throws Exception {
        byte[] z = zstd(richLayer());
        byte[] truncated = Arrays.copyOf(z, z.length / 2);
        assertThrows(IOException.class, () -> LayerExtractor.extract(new ByteArrayInputStream(truncated), dir("z"),
                ExtractOptions.of(WhiteoutMode.OVERLAY)));
    }

    @Test
    void truncatedTarAndCorruptHeaderAreErrors() throws Exception {
        byte[] tar = richLayer();
        Path root = dir("t");
        assertThrows(IOException.class, () -> LayerExtractor.extract(new ByteArrayInputStream(Arrays.copyOf(tar, 700)), root,
                ExtractOptions.of(WhiteoutMode.OVERLAY)));
        byte[] corrupt = tar.clone();
        corrupt[3] ^= 0x55; // the first header's name: the checksum no longer matches
        IOException e = assertThrows(IOException.class, () -> LayerExtractor.extract(new ByteArrayInputStream(corrupt), dir("c"),
                ExtractOptions.of(WhiteoutMode.OVERLAY)));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void assemblingFromTarSplitGivesBackTheSameTar() throws Exception {
        // extra zero padding after the end blocks, as GNU tar's 10 KiB records leave: part of the diff ID
        byte[] tar = Arrays.copyOf(richLayer(), richLayer().length + 8192);
        Path root = dir("root");
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        LayerStats stats = LayerExtractor.extract(new ByteArrayInputStream(gzip(tar)), root, new ExtractOptions(WhiteoutMode.OVERLAY, split));
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        String diffId = LayerAssembler.assemble(new ByteArrayInputStream(split.toByteArray()), root, rebuilt);
        assertEquals(stats.diffId(), diffId);
        assertEquals(sha256(tar), sha256(rebuilt.toByteArray()));
        assertArrayEquals(tar, rebuilt.toByteArray());
    }

    @Test
    void assemblingNoticesAChangedFile() throws Exception {
        Path root = dir("root");
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        LayerExtractor.extract(new ByteArrayInputStream(richLayer()), root, new ExtractOptions(WhiteoutMode.OVERLAY, split));
        Files.writeString(root.resolve("data/owned"), "owned by 1000:1002"); // same size, other content
        IOException e = assertThrows(IOException.class,
                () -> LayerAssembler.assemble(new ByteArrayInputStream(split.toByteArray()), root, OutputStream.nullOutputStream()));
        assertEquals("file integrity checksum failed for \"data/owned\"", e.getMessage());
        Files.delete(root.resolve("bin/tool-again"));
        Files.delete(root.resolve("bin/tool"));
        e = assertThrows(IOException.class,
                () -> LayerAssembler.assemble(new ByteArrayInputStream(split.toByteArray()), root, OutputStream.nullOutputStream()));
        assertTrue(e.getMessage().contains("\"bin/tool\" is missing"), e.getMessage());
    }

    @Test
    void tarSplitLinesHaveGoEncodingsShape() throws Exception {
        byte[] tar = new TestTars().file("a<b>&c", "hi").dir("d/").build();
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        LayerExtractor.extract(new ByteArrayInputStream(tar), dir("root"), new ExtractOptions(WhiteoutMode.OVERLAY, split));
        String[] lines = split.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(6, lines.length); // segment, file, segment, file, end blocks, the empty last read
        assertTrue(lines[0].matches("\\{\"type\":2,\"payload\":\"[A-Za-z0-9+/=]+\",\"position\":0}"), lines[0]);
        // crc64-ISO of "hi" as Go computes it
        assertEquals("{\"type\":1,\"name\":\"a\\u003cb\\u003e\\u0026c\",\"size\":2,\"payload\":\"" + crc64Base64("hi") + "\",\"position\":1}", lines[1]);
        assertEquals("{\"type\":1,\"name\":\"d/\",\"payload\":null,\"position\":3}", lines[3]);
        assertEquals("{\"type\":2,\"payload\":\"\",\"position\":5}", lines[5]);
        assertFalse(split.toString(StandardCharsets.UTF_8).endsWith("\n\n"));
    }

    /** An independent bitwise CRC-64/GO-ISO (reflected poly 0xD800000000000000, init and xorout all ones). */
    private static String crc64Base64(String s) {
        long crc = ~0L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            crc ^= b & 0xff;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xD800000000000000L : crc >>> 1;
            }
        }
        crc = ~crc;
        return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(8).putLong(crc).array());
    }

    @Test
    void duplicatePathsAreRefusedWithTarSplitAsContainersStorageDoes() throws Exception {
        byte[] tar = new TestTars().file("a", "1").file("./a", "2").build();
        IOException e = assertThrows(IOException.class, () -> LayerExtractor.extract(new ByteArrayInputStream(tar), dir("r"),
                new ExtractOptions(WhiteoutMode.OVERLAY, new ByteArrayOutputStream())));
        assertTrue(e.getMessage().startsWith("duplicates of file paths not supported"), e.getMessage());
        LayerExtractor.extract(new ByteArrayInputStream(tar), dir("r2"), ExtractOptions.of(WhiteoutMode.OVERLAY));
        assertEquals("2", Files.readString(base.resolve("r2/a")));
    }
}
