package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.support.Subprocess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory written as a layer: extracted again it is the same tree; Go's tar reader (podman import) takes it. */
class LayerWriterTest {
    @TempDir
    Path base;

    @Test
    void writtenLayerExtractsToTheSameTree() throws Exception {
        Path source = Files.createDirectories(base.resolve("source"));
        LayerExtractor.extract(new ByteArrayInputStream(LayerExtractorTest.richLayer()), source, ExtractOptions.of(WhiteoutMode.APPLY));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        String diffId = LayerWriter.write(source, tar, WhiteoutMode.APPLY);
        assertEquals(LayerExtractorTest.sha256(tar.toByteArray()), diffId);

        Path copy = Files.createDirectories(base.resolve("copy"));
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        LayerStats stats = LayerExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), copy, new ExtractOptions(WhiteoutMode.APPLY, split));
        assertEquals(diffId, stats.diffId());
        Set<String> all = PodmanTarSplitTest.describeTree(source, Set.of()).keySet();
        assertEquals(seconds(PodmanTarSplitTest.describeTree(source, all)), PodmanTarSplitTest.describeTree(copy, all));
        assertArrayEquals(FileSystemCalls.lgetxattr(source.resolve("bin/tool"), "security.capability"),
                FileSystemCalls.lgetxattr(copy.resolve("bin/tool"), "security.capability"), "binary xattr kept byte for byte");
        assertEquals(Files.getAttribute(copy.resolve("bin/tool"), "unix:ino"), Files.getAttribute(copy.resolve("bin/tool-again"), "unix:ino"));
        assertEquals("café", new String(FileSystemCalls.lgetxattr(copy.resolve("data/owned"), "user.note"), StandardCharsets.UTF_8));
        // and it assembles back from its tar-split
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        LayerAssembler.assemble(new ByteArrayInputStream(split.toByteArray()), copy, again);
        assertArrayEquals(tar.toByteArray(), again.toByteArray());
    }

    /** The tree with its times truncated to seconds, as a layer (Go's tar writer, and ours) keeps them. */
    private static Map<String, String> seconds(Map<String, String> tree) {
        Map<String, String> out = new java.util.TreeMap<>();
        tree.forEach((k, v) -> out.put(k, v.replaceAll("(mtime=[^ .]+)\\.\\d+Z", "$1Z")));
        return out;
    }

    @Test
    void entriesAreSortedAndDirectoriesEndInASlash() throws Exception {
        Path source = Files.createDirectories(base.resolve("s"));
        Files.createDirectories(source.resolve("b/y"));
        Files.writeString(source.resolve("b/a"), "1");
        Files.writeString(source.resolve("a"), "2");
        Files.writeString(source.resolve("c"), "3");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        LayerWriter.write(source, tar, WhiteoutMode.OVERLAY);
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        LayerExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), Files.createDirectories(base.resolve("t")),
                new ExtractOptions(WhiteoutMode.OVERLAY, split));
        List<String> names = split.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return Json.parseObject(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(o -> o.lng("type", 0) == 1).map(o -> o.str("name")).toList();
        assertEquals(List.of("a", "b/", "b/a", "b/y/", "c"), names);
    }

    @Test
    void podmanImportsTheWrittenLayerWithTheSameDiffId() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "this test needs podman");
        Path source = Files.createDirectories(base.resolve("source"));
        LayerExtractor.extract(new ByteArrayInputStream(LayerExtractorTest.richLayer()), source, ExtractOptions.of(WhiteoutMode.APPLY));
        Path tarFile = base.resolve("layer.tar");
        String diffId;
        try (OutputStream out = Files.newOutputStream(tarFile)) {
            diffId = LayerWriter.write(source, out, WhiteoutMode.APPLY);
        }
        Subprocess.Result r = Subprocess.of("podman", "--root", base + "/root", "--runroot", base + "/run", "--storage-driver", "overlay",
                "import", tarFile.toString(), "berth-layer-writer-test").timeoutMillis(120_000).run();
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String layers = Files.readString(base.resolve("root/overlay-layers/layers.json"));
        assertTrue(layers.contains("\"diff-digest\":\"" + diffId + "\""), diffId + " not in " + layers);
        Object parsed = Json.parse(layers);
        assertEquals(1, ((List<?>) parsed).size());
        @SuppressWarnings("unchecked")
        String id = (String) ((Map<String, Object>) ((List<?>) parsed).get(0)).get("id");
        Path podmanDiff = base.resolve("root/overlay/" + id + "/diff");
        Set<String> all = PodmanTarSplitTest.describeTree(source, Set.of()).keySet();
        assertEquals(seconds(PodmanTarSplitTest.describeTree(source, all)), PodmanTarSplitTest.describeTree(podmanDiff, all));
    }
}
