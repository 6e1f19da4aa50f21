package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.Subprocess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our extraction against podman 4.3.1's, on the same layers: an image built with umoci from
 * busybox (hard link, symlink, setuid, fifo, xattr, a name over 100 bytes, HTML characters in a
 * name; a second layer with whiteouts and an opaque directory), copied to a docker-archive by
 * skopeo and loaded by podman into a temporary store. The tar-split podman keeps must equal ours
 * line for line, its diff-digest our diff ID, and its overlay diff directory our OVERLAY extraction.
 */
class PodmanTarSplitTest {
    @TempDir
    Path work;

    private static final String BUILD = """
            set -e
            cd "$WORK"
            umoci init --layout oci
            umoci new --image oci:t
            umoci unpack --image oci:t bundle >/dev/null
            R=bundle/rootfs
            mkdir -p $R/bin $R/etc $R/opq/sub $R/gone
            cp /bin/busybox $R/bin/busybox; ln $R/bin/busybox $R/bin/sh; ln -s busybox $R/bin/ls
            echo hello > $R/etc/hello; chmod 4755 $R/etc/hello
            L=$R/$(printf 'd%.0s' $(seq 1 60))/$(printf 'e%.0s' $(seq 1 70)); mkdir -p $(dirname $L); echo long > $L
            mkfifo $R/etc/fifo
            python3 -c "import os; os.setxattr('$R/etc/hello', 'user.color', b'blue')"
            echo x > $R/opq/sub/a; echo y > $R/gone/file; echo z > $R/etc/del; echo '<&>' > "$R/etc/html<&>"
            umoci repack --refresh-bundle --image oci:t bundle
            rm $R/etc/del; rm -rf $R/gone $R/opq; mkdir -p $R/opq; echo new > $R/opq/new
            umoci repack --image oci:t bundle
            skopeo copy oci:oci:t docker-archive:$WORK/a.tar:t:1 >/dev/null
            podman --root $WORK/root --runroot $WORK/run --storage-driver overlay load -i $WORK/a.tar >/dev/null
            """;

    private static void requireBinaries() {
        for (String bin : List.of("umoci", "skopeo", "podman", "python3", "/bin/busybox")) {
            boolean found = bin.startsWith("/") ? Files.isExecutable(Path.of(bin))
                    : Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, bin)));
            assertTrue(found, "this test needs " + bin + " (scripts/setup-host installs it)");
        }
    }

    @Test
    void tarSplitAndDiffIdMatchWhatPodmanWrites() throws Exception {
        requireBinaries();
        Subprocess.Result r = Subprocess.of("bash", "-c", BUILD).environment(Map.of("WORK", work.toString()))
                .timeoutMillis(120_000).run();
        assertEquals(0, r.exitCode(), "building the image failed: " + r.stdout() + r.stderr());
        assertSameAsPodman(work, 2);
    }

    /**
     * Extracts each layer of the OCI layout {@code work/oci} (tag t) and compares it with the layer
     * podman loaded into the store {@code work/root}: diff ID, size, tar-split line for line, diff directory.
     */
    static void assertSameAsPodman(Path work, int layerCount) throws Exception {
        Path blobs = work.resolve("oci/blobs/sha256");
        JsonObject index = Json.parseObject(Files.readAllBytes(work.resolve("oci/index.json")));
        String manifestDigest = index.objects("manifests").get(0).str("digest");
        JsonObject manifest = Json.parseObject(Files.readAllBytes(blobs.resolve(manifestDigest.substring(7))));
        List<JsonObject> layers = manifest.objects("layers");
        assertEquals(layerCount, layers.size());

        List<JsonObject> podmanLayers = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Files.readAllBytes(work.resolve("root/overlay-layers/layers.json")))) {
            podmanLayers.add(new JsonObject(castMap(o)));
        }
        int n = 0;
        for (JsonObject layer : layers) {
            Path blob = blobs.resolve(layer.str("digest").substring(7));
            Path ours = Files.createDirectories(work.resolve("ours/" + n++));
            ByteArrayOutputStream split = new ByteArrayOutputStream();
            LayerStats stats;
            try (InputStream in = Files.newInputStream(blob)) {
                stats = LayerExtractor.extract(in, ours, new ExtractOptions(WhiteoutMode.OVERLAY, split));
            }
            assertEquals(layer.str("digest"), stats.compressedDigest());
            assertEquals(layer.lng("size", -1), stats.compressedSize());

            JsonObject podman = podmanLayers.stream().filter(p -> stats.diffId().equals(p.str("diff-digest"))).findFirst().orElse(null);
            assertNotNull(podman, "podman has no layer with diff-digest " + stats.diffId() + ": " + podmanLayers);
            assertEquals(stats.uncompressedSize(), podman.lng("diff-size", -1));
            Path podmanSplit = work.resolve("root/overlay-layers/" + podman.str("id") + ".tar-split.gz");
            byte[] theirs;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(podmanSplit))) {
                theirs = in.readAllBytes();
            }
            List<String> theirLines = List.of(new String(theirs, StandardCharsets.UTF_8).split("\n", -1));
            List<String> ourLines = List.of(split.toString(StandardCharsets.UTF_8).split("\n", -1));
            assertEquals(theirLines, ourLines, "tar-split of layer " + stats.diffId());

            Path podmanDiff = work.resolve("root/overlay/" + podman.str("id") + "/diff");
            java.util.Set<String> entries = new java.util.HashSet<>();
            for (String line : ourLines) {
                if (!line.isEmpty() && Json.parseObject(line).lng("type", 0) == 1) {
                    entries.add(TarSplitPacker.goClean(Json.parseObject(line).str("name", "")));
                }
            }
            assertEquals(describeTree(podmanDiff, entries), describeTree(ours, entries), "overlay diff directory of layer " + stats.diffId());

            // podman's tar-split over our diff directory gives back the layer
            assertEquals(stats.diffId(), LayerAssembler.assemble(new ByteArrayInputStream(theirs), ours, OutputStream0.NULL));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Every path under dir with its type, mode, owner, size, device, mtime (where the layer sets it) and two xattrs. */
    static Map<String, String> describeTree(Path dir, java.util.Set<String> entries) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(dir)) {
                    continue; // the diff directory itself is the store's (podman makes it 0555)
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime,nlink", LinkOption.NOFOLLOW_LINKS);
                // the mtime of a whiteout, or of a directory made because the layer had no entry for it, is "now" for both
                boolean isWhiteout = ((Integer) a.get("mode") & 0170000) == 020000 && (Long) a.get("rdev") == 0;
                boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || isWhiteout;
                byte[] opaque = Files.isSymbolicLink(p) ? null : FileSystemCalls.lgetxattr(p, "trusted.overlay.opaque");
                byte[] color = Files.isSymbolicLink(p) ? null : FileSystemCalls.lgetxattr(p, "user.color");
                m.put(dir.relativize(p).toString(), Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + ":" + a.get("gid")
                        + (isDir ? "" : " size=" + a.get("size") + " nlink=" + a.get("nlink"))
                        + (isWhiteout || !entries.contains(dir.relativize(p).toString()) ? "" : " mtime=" + a.get("lastModifiedTime"))
                        + " rdev=" + a.get("rdev")
                        + (opaque == null ? "" : " opaque=" + new String(opaque, StandardCharsets.UTF_8))
                        + (color == null ? "" : " color=" + new String(color, StandardCharsets.UTF_8)));
            }
        }
        return m;
    }

    /** A sink. */
    private static final class OutputStream0 {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
