package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteouts and opaque directories in both modes. */
class WhiteoutTest {
    @TempDir
    Path root;

    private static byte[] lowerLayer() {
        return new TestTars().dir("etc/").file("etc/keep", "k").file("etc/drop", "d").dir("etc/sub/").file("etc/sub/deep", "x")
                .dir("opq/").file("opq/old", "old").dir("opq/olddir/").file("opq/olddir/f", "f").dir("opq/both/")
                .file("opq/both/lower", "lower").build();
    }

    /** Deletes etc/drop and etc/sub, makes opq opaque with the marker AFTER some of this layer's own entries. */
    private static byte[] upperLayer() {
        return new TestTars().dir("etc/").file("etc/.wh.drop", "").file("etc/.wh.sub", "").dir("opq/").file("opq/new", "new")
                .dir("opq/both/").file("opq/both/upper", "upper").file("opq/.wh..wh..opq", "").file("opq/after", "after").build();
    }

    private LayerStats extract(byte[] tar, WhiteoutMode mode) throws IOException {
        return LayerExtractor.extract(new ByteArrayInputStream(tar), root, ExtractOptions.of(mode));
    }

    @Test
    void applyModeDeletesWhitedOutPathsAndEmptiesOpaqueDirectoriesOfEarlierLayers() throws IOException {
        extract(lowerLayer(), WhiteoutMode.APPLY);
        extract(upperLayer(), WhiteoutMode.APPLY);
        assertEquals("k", Files.readString(root.resolve("etc/keep")));
        assertFalse(Files.exists(root.resolve("etc/drop"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("etc/sub"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("etc/.wh.drop"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("opq/old")));
        assertFalse(Files.exists(root.resolve("opq/olddir")));
        assertFalse(Files.exists(root.resolve("opq/both/lower")), "a directory this layer also has is emptied of the lower content");
        assertEquals("upper", Files.readString(root.resolve("opq/both/upper")));
        assertEquals("new", Files.readString(root.resolve("opq/new")), "written before the marker: kept");
        assertEquals("after", Files.readString(root.resolve("opq/after")));
        assertFalse(Files.exists(root.resolve("opq/.wh..wh..opq")));
        try (var s = Files.list(root.resolve("opq"))) {
            assertEquals(java.util.Set.of("new", "both", "after"),
                    s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void aufsMetadataIsSkipped() throws IOException {
        extract(new TestTars().dir(".wh..wh.plnk/").file(".wh..wh.plnk/123.4", "x").file("a/.wh..wh.aufs", "").file("a/kept", "k").build(),
                WhiteoutMode.OVERLAY);
        assertFalse(Files.exists(root.resolve(".wh..wh.plnk")));
        assertFalse(Files.exists(root.resolve("a/.wh..wh.aufs")));
        assertEquals("k", Files.readString(root.resolve("a/kept")));
    }

    @Test
    void whiteoutOfSomethingMissingIsNoError() throws IOException {
        extract(new TestTars().file("nothing/.wh.here", "").file(".wh.absent", "").build(), WhiteoutMode.APPLY);
        assertFalse(Files.exists(root.resolve("nothing")));
    }

    @Test
    void overlayModeMakesWhiteoutDevicesAndOpaqueXattrs() throws IOException {
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        LayerStats stats = LayerExtractor.extract(new ByteArrayInputStream(upperLayer()), root, new ExtractOptions(WhiteoutMode.OVERLAY, split));
        for (String w : new String[] {"etc/drop", "etc/sub"}) {
            Path p = root.resolve(w);
            assertEquals(020000, (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000, w + " is a char device");
            assertEquals(0L, (long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS), w + " is 0/0");
        }
        assertFalse(Files.exists(root.resolve("etc/.wh.drop"), LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(new byte[] {'y'}, FileSystemCalls.lgetxattr(root.resolve("opq"), "trusted.overlay.opaque"));
        assertNull(FileSystemCalls.lgetxattr(root.resolve("etc"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(root.resolve("opq/.wh..wh..opq")));
        assertEquals("after", Files.readString(root.resolve("opq/after")));
        // the whiteouts are header-only in the tar-split: the layer assembles back from the diff dir
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        assertEquals(stats.diffId(), LayerAssembler.assemble(new ByteArrayInputStream(split.toByteArray()), root, tar));
        assertArrayEquals(upperLayer(), tar.toByteArray());
    }

    @Test
    void layerWriterTurnsOverlayWhiteoutsBackIntoLayerWhiteouts() throws IOException {
        extract(upperLayer(), WhiteoutMode.OVERLAY);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        LayerWriter.write(root, tar, WhiteoutMode.OVERLAY);
        // applied over the lower layer in a plain directory, it has the same effect as the original
        Path applied = Files.createTempDirectory("applied");
        try {
            LayerExtractor.extract(new ByteArrayInputStream(lowerLayer()), applied, ExtractOptions.of(WhiteoutMode.APPLY));
            LayerExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), applied, ExtractOptions.of(WhiteoutMode.APPLY));
            assertFalse(Files.exists(applied.resolve("etc/drop")));
            assertFalse(Files.exists(applied.resolve("etc/sub")));
            assertFalse(Files.exists(applied.resolve("opq/old")));
            assertFalse(Files.exists(applied.resolve("opq/both/lower")));
            assertTrue(Files.exists(applied.resolve("opq/both/upper")));
            assertEquals("k", Files.readString(applied.resolve("etc/keep")));
        } finally {
            berth.support.FileTrees.delete(applied);
        }
    }
}
