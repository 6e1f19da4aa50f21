package berth.image.support.registry;

import berth.image.support.manifest.Digests;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.testsupport.Sys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small real images for the registry tests: an OCI layout built with umoci from busybox-static, pushed with skopeo. */
final class TestImages {
    static final String UMOCI = "/usr/bin/umoci";
    static final String SKOPEO = "/usr/bin/skopeo";

    private TestImages() {
    }

    /** An OCI layout at {@code dir} whose tag {@code t} is a one-layer image holding /bin/busybox. */
    static Path busyboxLayout(Path dir) {
        Sys.requireTools(UMOCI, SKOPEO, Sys.BUSYBOX);
        Path layout = dir.resolve("oci");
        Path bundle = dir.resolve("bundle");
        Sys.ok(UMOCI, "init", "--layout", layout.toString());
        Sys.ok(UMOCI, "new", "--image", layout + ":t");
        Sys.ok(UMOCI, "unpack", "--image", layout + ":t", bundle.toString());
        try {
            Files.createDirectories(bundle.resolve("rootfs/bin"));
            Files.copy(Path.of(Sys.BUSYBOX), bundle.resolve("rootfs/bin/busybox"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Sys.ok(UMOCI, "repack", "--image", layout + ":t", bundle.toString());
        Sys.ok(UMOCI, "config", "--image", layout + ":t", "--config.cmd", "/bin/busybox");
        return layout;
    }

    /** skopeo copy to or from the plain-HTTP test registry. */
    static void skopeoCopy(String from, String to, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(SKOPEO, "copy", "--src-tls-verify=false", "--dest-tls-verify=false"));
        cmd.addAll(List.of(extra));
        cmd.add(from);
        cmd.add(to);
        Sys.ok(cmd.toArray(String[]::new));
    }

    static JsonObject skopeoInspect(String ref, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SKOPEO, "inspect", "--tls-verify=false"));
        cmd.addAll(List.of(extra));
        cmd.add(ref);
        return Json.parseObject(Sys.ok(cmd.toArray(String[]::new)));
    }

    static byte[] blob(Path layout, String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(Digests.hex(digest)));
    }

    static String writeBlob(Path layout, byte[] bytes) throws IOException {
        String digest = Digests.of(bytes);
        Files.write(layout.resolve("blobs/sha256").resolve(Digests.hex(digest)), bytes);
        return digest;
    }

    /** The descriptor of tag {@code tag} in the layout's index.json. */
    static JsonObject indexEntry(Path layout, String tag) throws IOException {
        JsonObject index = Json.parseObject(Files.readAllBytes(layout.resolve("index.json")));
        for (JsonObject m : index.objects("manifests")) {
            if (tag.equals(m.stringMap("annotations").get("org.opencontainers.image.ref.name"))) {
                return m;
            }
        }
        throw new AssertionError("no tag " + tag + " in " + layout);
    }

    /**
     * Adds tag {@code multi} to the layout: an OCI index of the busybox image as linux/amd64 and
     * the same layers with an arm64/v8 config (content need not run: only the selection is tested).
     * Returns the platform → manifest digest map.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> addMultiArchIndex(Path layout) throws IOException {
        JsonObject amd64Entry = indexEntry(layout, "t");
        String amd64Digest = amd64Entry.str("digest");
        JsonObject manifest = Json.parseObject(blob(layout, amd64Digest));
        JsonObject config = Json.parseObject(blob(layout, manifest.obj("config").str("digest")));
        config.put("architecture", "arm64").put("variant", "v8");
        byte[] armConfig = config.toString().getBytes(StandardCharsets.UTF_8);
        String armConfigDigest = writeBlob(layout, armConfig);
        Map<String, Object> armManifest = new LinkedHashMap<>(manifest.asMap());
        Map<String, Object> cfg = new LinkedHashMap<>((Map<String, Object>) armManifest.get("config"));
        cfg.put("digest", armConfigDigest);
        cfg.put("size", (long) armConfig.length);
        armManifest.put("config", cfg);
        byte[] armManifestBytes = Json.writeBytes(armManifest);
        String armDigest = writeBlob(layout, armManifestBytes);
        long amd64Size = blob(layout, amd64Digest).length;
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + amd64Digest + "\",\"size\":" + amd64Size
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + armDigest + "\",\"size\":"
                + armManifestBytes.length + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}";
        byte[] indexBytes = index.getBytes(StandardCharsets.UTF_8);
        String indexDigest = writeBlob(layout, indexBytes);
        JsonObject top = Json.parseObject(Files.readAllBytes(layout.resolve("index.json")));
        List<Object> entries = new ArrayList<>((List<Object>) top.raw("manifests"));
        entries.add(Map.of("mediaType", "application/vnd.oci.image.index.v1+json", "digest", indexDigest,
                "size", (long) indexBytes.length, "annotations", Map.of("org.opencontainers.image.ref.name", "multi")));
        top.asMap().put("manifests", entries);
        Files.write(layout.resolve("index.json"), Json.writeBytes(top.asMap()));
        return Map.of("linux/amd64", amd64Digest, "linux/arm64/v8", armDigest, "index", indexDigest);
    }
}
