package berth.image.support.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.support.Subprocess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers made by GNU tar rather than by Go: GNU format ('L'/'K' long names), PAX format with a
 * global header, and GNU tar's 10 KiB records (zero padding after the end blocks). Each is
 * extracted and assembled back byte for byte, and compared with what podman makes of the same
 * layers (tar-split line for line, diff-digest, diff directory).
 */
class GnuTarLayersTest {
    @TempDir
    Path work;

    private static final String MAKE_TREES = """
            set -e
            cd "$WORK"
            for d in d1 d2 d3; do
              mkdir -p $d/usr/share/$(printf 'x%.0s' $(seq 1 90))/$(printf 'y%.0s' $(seq 1 90))
              echo content-$d > $d/usr/share/$(printf 'x%.0s' $(seq 1 90))/$(printf 'y%.0s' $(seq 1 90))/file-with-a-long-name
              ln -s /usr/share/$(printf 'x%.0s' $(seq 1 90))/$(printf 'y%.0s' $(seq 1 90))/file-with-a-long-name $d/long-link
              echo cafe > "$d/café and spaces"; ln "$d/café and spaces" $d/hard; chmod 2755 $d/hard
              mkdir -p $d/opq; touch $d/opq/.wh..wh..opq $d/.wh.removed
            done
            tar --format=gnu --numeric-owner -cf l1.tar -C d1 .
            tar --format=pax --numeric-owner --pax-option=comment:=made-by-gnu-tar -cf l2.tar -C d2 .
            tar --format=pax --numeric-owner -b 1 -cf l3.tar -C d3 .
            """;

    @Test
    void gnuTarLayersRoundTripAndMatchPodman() throws Exception {
        for (String bin : List.of("/usr/bin/tar", "/usr/bin/skopeo", "/usr/bin/podman")) {
            assertTrue(Files.isExecutable(Path.of(bin)), "this test needs " + bin);
        }
        Subprocess.Result r = Subprocess.of("bash", "-c", MAKE_TREES).environment(Map.of("WORK", work.toString())).timeoutMillis(60_000).run();
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());

        List<byte[]> layers = new ArrayList<>();
        for (String name : List.of("l1.tar", "l2.tar", "l3.tar")) {
            byte[] tar = Files.readAllBytes(work.resolve(name));
            layers.add(tar);
            Path root = Files.createDirectories(work.resolve("x-" + name));
            ByteArrayOutputStream split = new ByteArrayOutputStream();
            LayerStats stats = LayerExtractor.extract(new ByteArrayInputStream(tar), root, new ExtractOptions(WhiteoutMode.OVERLAY, split));
            assertEquals(LayerExtractorTest.sha256(tar), stats.diffId(), name);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            LayerAssembler.assemble(new ByteArrayInputStream(split.toByteArray()), root, again);
            assertTrue(java.util.Arrays.equals(tar, again.toByteArray()), name + " assembles back byte for byte");
        }
        assertEquals(0, layers.get(0).length % 10240, "GNU tar pads to 10 KiB records: bytes after the end blocks");

        writeOciLayout(work.resolve("oci"), layers);
        Subprocess.Result load = Subprocess.of("bash", "-c", """
                set -e
                skopeo copy oci:$WORK/oci:t docker-archive:$WORK/a.tar:t:1 >/dev/null
                podman --root $WORK/root --runroot $WORK/run --storage-driver overlay load -i $WORK/a.tar >/dev/null
                """).environment(Map.of("WORK", work.toString())).timeoutMillis(120_000).run();
        assertEquals(0, load.exitCode(), load.stdout() + load.stderr());
        PodmanTarSplitTest.assertSameAsPodman(work, 3);
    }

    /** An OCI image layout with uncompressed layers, tagged t. */
    private static void writeOciLayout(Path dir, List<byte[]> layers) throws Exception {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Object> descriptors = new ArrayList<>();
        List<Object> diffIds = new ArrayList<>();
        for (byte[] layer : layers) {
            String digest = LayerExtractorTest.sha256(layer);
            Files.write(blobs.resolve(digest.substring(7)), layer);
            descriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar", digest, layer.length));
            diffIds.add(digest);
        }
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("rootfs", rootfs);
        byte[] configBytes = Json.writeBytes(config);
        String configDigest = LayerExtractorTest.sha256(configBytes);
        Files.write(blobs.resolve(configDigest.substring(7)), configBytes);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", configDigest, configBytes.length));
        manifest.put("layers", descriptors);
        byte[] manifestBytes = Json.writeBytes(manifest);
        String manifestDigest = LayerExtractorTest.sha256(manifestBytes);
        Files.write(blobs.resolve(manifestDigest.substring(7)), manifestBytes);
        Map<String, Object> m = descriptor("application/vnd.oci.image.manifest.v1+json", manifestDigest, manifestBytes.length);
        m.put("annotations", Map.of("org.opencontainers.image.ref.name", "t"));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("manifests", List.of(m));
        Files.write(dir.resolve("index.json"), Json.writeBytes(index));
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }
}
