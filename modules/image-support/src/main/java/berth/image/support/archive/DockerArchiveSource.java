package berth.image.support.archive;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image of a docker-archive as an image source. As containers/image does, it synthesises a
 * Docker schema 2 manifest whose layer digests are the config's diff IDs (the digests of the
 * uncompressed tars) and whose sizes are uncompressed sizes; the layer media type is Docker's
 * {@code tar.gzip} type whatever the stored bytes are, and {@link #blob} delivers a layer
 * decompressed (a stored gzip or zstd layer is decompressed on the fly) and verified against its
 * diff ID as it is read.
 */
public final class DockerArchiveSource implements ImageSource {
    private static final int MAX_CONFIG = 8 << 20;

    private record Layer(String path, long size) {
    }

    private final DockerArchive archive;
    private final DockerArchiveImage image;
    private final String describe;
    private final boolean closeArchive;
    private byte[] configBytes;
    private String configDigest;
    private List<String> diffIds;
    private Map<String, Layer> layers;
    private RawManifest manifest;

    DockerArchiveSource(DockerArchive archive, DockerArchiveImage image, String describe, boolean closeArchive) {
        this.archive = archive;
        this.image = image;
        this.describe = describe;
        this.closeArchive = closeArchive;
    }

    /**
     * Opens the image {@code ref} names in {@code archive} (null: the only one; {@code @N}; or
     * {@code name:tag}); a compressed archive is decompressed under {@code tmpDir}.
     */
    public static DockerArchiveSource open(Path archive, String ref, Path tmpDir) throws IOException {
        DockerArchive a = DockerArchive.open(archive, tmpDir);
        try {
            DockerArchiveImage image = a.choose(ref);
            return new DockerArchiveSource(a, image, "docker-archive:" + archive + (ref == null ? "" : ":" + ref), true);
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /** The images of {@code archive}, for a {@code load} that takes all of them. */
    public static List<DockerArchiveImage> images(Path archive, Path tmpDir) throws IOException {
        try (DockerArchive a = DockerArchive.open(archive, tmpDir)) {
            return a.images();
        }
    }

    /** {@link #images(Path, Path)} with the JVM's temp directory for a compressed archive. */
    public static List<DockerArchiveImage> images(Path archive) throws IOException {
        return images(archive, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public DockerArchiveImage image() {
        return image;
    }

    @Override
    public String describe() {
        return describe;
    }

    /** The image's config bytes, as stored. */
    public byte[] config() throws IOException {
        load();
        return configBytes.clone();
    }

    @Override
    public synchronized RawManifest manifest(Platform platform) throws IOException {
        if (manifest == null) {
            load();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("mediaType", MediaTypes.DOCKER_CONFIG);
            config.put("size", (long) configBytes.length);
            config.put("digest", configDigest);
            List<Object> layerList = new ArrayList<>();
            for (String diffId : diffIds) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("mediaType", MediaTypes.DOCKER_LAYER_GZIP);
                l.put("size", layers.get(diffId).size());
                l.put("digest", diffId);
                layerList.add(l);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schemaVersion", 2L);
            doc.put("mediaType", MediaTypes.DOCKER_MANIFEST);
            doc.put("config", config);
            doc.put("layers", layerList);
            byte[] bytes = Json.writeBytes(doc);
            manifest = new RawManifest(bytes, MediaTypes.DOCKER_MANIFEST, Digests.of(bytes));
        }
        return manifest;
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        load();
        if (descriptor.digest().equals(configDigest)) {
            return new ByteArrayInputStream(configBytes);
        }
        Layer layer = layers.get(descriptor.digest());
        if (layer == null) {
            throw new IOException(describe + ": the image has no blob " + descriptor.digest());
        }
        InputStream stored = archive.tar().open(layer.path());
        try {
            return new VerifyingInputStream(Compression.decompressed(stored), descriptor.digest(), layer.size(),
                    describe + ": layer " + layer.path());
        } catch (IOException | RuntimeException e) {
            stored.close();
            throw new IOException(describe + ": layer " + layer.path() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the config and sizes the layers, once. */
    private synchronized void load() throws IOException {
        if (layers != null) {
            return;
        }
        TarIndex tar = archive.tar();
        if (!tar.has(image.config())) {
            throw new IOException(describe + ": manifest.json names config " + image.config() + ", which the archive does not contain");
        }
        byte[] bytes = tar.read(image.config(), MAX_CONFIG);
        JsonObject config;
        try {
            config = Json.parseObject(bytes);
        } catch (IOException e) {
            throw new IOException(describe + ": config " + image.config() + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonObject rootfs = config.obj("rootfs");
        if (rootfs == null) {
            throw new IOException(describe + ": invalid image config (rootfs is not set): " + image.config());
        }
        List<String> ids = rootfs.strings("diff_ids");
        if (ids.size() != image.layers().size()) {
            throw new IOException(describe + ": inconsistent layer count: " + image.layers().size() + " in manifest.json, "
                    + ids.size() + " in the config");
        }
        Map<String, Layer> byDiffId = new HashMap<>();
        Map<String, String> pathToDiffId = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String diffId = ids.get(i);
            if (!Digests.isValid(diffId)) {
                throw new IOException(describe + ": invalid diff ID \"" + diffId + "\" in the config");
            }
            if (byDiffId.containsKey(diffId)) {
                continue; // the same layer twice: docker save links the second to the first
            }
            String path = TarIndex.clean(image.layers().get(i));
            String other = pathToDiffId.putIfAbsent(path, diffId);
            if (other != null) {
                throw new IOException(describe + ": layer tarfile " + path + " used for two different diff IDs");
            }
            byDiffId.put(diffId, new Layer(path, uncompressedSize(tar, path)));
        }
        configBytes = bytes;
        configDigest = Digests.of(bytes);
        diffIds = ids;
        layers = byDiffId;
    }

    /** A plain tar's size is its entry's; a compressed layer is decompressed once to count. */
    private long uncompressedSize(TarIndex tar, String path) throws IOException {
        if (!tar.has(path)) {
            throw new IOException(describe + ": manifest.json names layer " + path + ", which the archive does not contain");
        }
        try (InputStream stored = new java.io.BufferedInputStream(tar.open(path), 65536)) {
            Compression c = Compression.sniff(stored);
            if (c == Compression.NONE) {
                return tar.size(path);
            }
            try (InputStream in = c.wrap(stored)) {
                return in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            throw new IOException(describe + ": layer " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closeArchive) {
            archive.close();
        }
    }
}
