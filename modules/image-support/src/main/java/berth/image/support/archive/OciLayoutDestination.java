package berth.image.support.archive;

import berth.image.support.manifest.Descriptor;
import berth.image.support.digest.Sha256InputStream;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.RawManifest;
import berth.kernel.error.BerthException;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes images into an OCI image layout directory, creating it when missing. Each blob lands in
 * {@code blobs/sha256/HEX} through a synced temp file renamed into place (verified against its
 * digest first); {@link #commit()} re-reads index.json, replaces any entry of the same ref name
 * and writes it atomically, so a crash leaves the previous index.json whole.
 */
public final class OciLayoutDestination implements ImageDestination {
    private final Path dir;
    private final List<Map<String, Object>> newEntries = new ArrayList<>();
    private RawManifest lastManifest;

    public OciLayoutDestination(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Path marker = dir.resolve("oci-layout");
        if (!Files.exists(marker)) {
            atomicWrite(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String describe() {
        return "oci:" + dir;
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) throws IOException {
        Path p = dir.resolve(OciLayoutSource.blobPath(descriptor.digest()));
        return Files.isRegularFile(p) && (descriptor.size() < 0 || Files.size(p) == descriptor.size());
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        if (hasBlob(descriptor)) {
            return;
        }
        Path target = dir.resolve(OciLayoutSource.blobPath(descriptor.digest()));
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", ".blob");
        try {
            long n;
            String actual;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                Sha256InputStream hashed = new Sha256InputStream(content);
                n = hashed.transferTo(out);
                actual = hashed.digest();
                ch.force(false);
            }
            if (!actual.equals(descriptor.digest()) || (descriptor.size() >= 0 && n != descriptor.size())) {
                throw new IOException(describe() + ": blob " + descriptor.digest() + " (" + descriptor.size()
                        + " bytes) arrived as " + actual + " (" + n + " bytes)");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Stores the manifest and, on commit, names it {@code tag}. A Docker schema 2 manifest is stored
     * converted to an OCI manifest, as skopeo converts one (an OCI layout's consumers look only for
     * OCI types): the config keeps its bytes under the OCI config type, and each layer gets the OCI
     * type of its actual compression, read from the stored blob (a docker-archive labels plain tars
     * gzip). The stored manifest's digest is then that of the converted bytes ({@link #lastManifest()}).
     */
    @Override
    public synchronized void putManifest(RawManifest given, String tag) throws IOException {
        RawManifest manifest = MediaTypes.DOCKER_MANIFEST.equals(given.mediaType()) ? toOci(given) : given;
        lastManifest = manifest;
        Descriptor d = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.bytes().length);
        putBlob(d, new ByteArrayInputStream(manifest.bytes()));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("mediaType", manifest.mediaType());
        entry.put("digest", manifest.digest());
        entry.put("size", (long) manifest.bytes().length);
        if (MediaTypes.isManifest(manifest.mediaType())) {
            Map<String, Object> platform = platformOf(ImageManifest.parse(manifest.bytes(), manifest.mediaType()).config());
            if (platform != null) {
                entry.put("platform", platform);
            }
        }
        if (tag != null && !tag.isEmpty()) {
            entry.put("annotations", Map.of(OciLayoutSource.REF_NAME, tag));
        }
        newEntries.add(entry);
    }

    /** The manifest the last {@link #putManifest} stored (converted when it was Docker's); null before. */
    public RawManifest lastManifest() {
        return lastManifest;
    }

    private RawManifest toOci(RawManifest docker) throws IOException {
        ImageManifest m = ImageManifest.parse(docker.bytes(), docker.mediaType());
        List<Object> layers = new ArrayList<>();
        for (Descriptor l : m.layers()) {
            layers.add(descriptorJson(ociLayerType(l), l.digest(), l.size()));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 2L);
        doc.put("mediaType", MediaTypes.OCI_MANIFEST);
        doc.put("config", descriptorJson(MediaTypes.OCI_CONFIG, m.config().digest(), m.config().size()));
        doc.put("layers", layers);
        if (!m.annotations().isEmpty()) {
            doc.put("annotations", m.annotations());
        }
        byte[] bytes = Json.writeBytes(doc);
        return new RawManifest(bytes, MediaTypes.OCI_MANIFEST, Digests.of(bytes));
    }

    private String ociLayerType(Descriptor layer) throws IOException {
        Path blob = dir.resolve(OciLayoutSource.blobPath(layer.digest()));
        if (!Files.isRegularFile(blob)) {
            throw new IOException(describe() + ": the layer blob " + layer.digest() + " was not written before the manifest");
        }
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(blob), 16)) {
            return switch (Compression.sniff(in)) {
                case NONE -> MediaTypes.OCI_LAYER;
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            };
        }
    }

    private static Map<String, Object> descriptorJson(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    /** The image's os and architecture, from its config when it is here, as index entries carry them. */
    private Map<String, Object> platformOf(Descriptor config) throws IOException {
        Path p = dir.resolve(OciLayoutSource.blobPath(config.digest()));
        if (!Files.isRegularFile(p) || Files.size(p) > OciLayoutSource.MAX_MANIFEST) {
            return null;
        }
        JsonObject c;
        try {
            c = Json.parseObject(Files.readAllBytes(p));
        } catch (IOException e) {
            return null; // not a JSON config: no platform to tell
        }
        if (c.str("architecture") == null || c.str("os") == null) {
            return null;
        }
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("architecture", c.str("architecture"));
        platform.put("os", c.str("os"));
        if (c.str("variant") != null && !c.str("variant").isEmpty()) {
            platform.put("variant", c.str("variant"));
        }
        return platform;
    }

    @Override
    public synchronized void commit() throws IOException {
        Path indexPath = dir.resolve("index.json");
        List<Object> manifests = new ArrayList<>();
        if (Files.exists(indexPath)) {
            JsonObject index;
            try {
                index = Json.parseObject(Files.readAllBytes(indexPath));
            } catch (IOException e) {
                throw new IOException(indexPath + ": invalid index.json: " + e.getMessage(), e);
            }
            for (JsonObject old : index.objects("manifests")) {
                if (!replacedBy(old)) {
                    manifests.add(old.asMap());
                }
            }
        }
        manifests.addAll(newEntries);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2L);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        atomicWrite(indexPath, Json.writeBytes(index));
        newEntries.clear();
    }

    /** An old entry goes when a new one has its ref name, or is the same manifest, both unnamed. */
    private boolean replacedBy(JsonObject old) {
        String oldName = old.stringMap("annotations").get(OciLayoutSource.REF_NAME);
        for (Map<String, Object> e : newEntries) {
            String name = new JsonObject(e).stringMap("annotations").get(OciLayoutSource.REF_NAME);
            if (oldName != null ? oldName.equals(name) : name == null && String.valueOf(e.get("digest")).equals(old.str("digest"))) {
                return true;
            }
        }
        return false;
    }

    private static void atomicWrite(Path target, byte[] bytes) throws IOException {
        try {
            AtomicFiles.write(target, bytes);
        } catch (BerthException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
