package berth.image.support.archive;

import berth.image.support.manifest.Descriptor;
import berth.image.support.digest.Sha256OutputStream;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes images into a docker-archive tarball as podman saves one: each config as {@code HEX.json},
 * each layer UNCOMPRESSED as {@code DIFFID_HEX.tar} (a gzip or zstd blob is decompressed while it
 * is written; its diff ID then names it), {@code manifest.json} with Config, RepoTags and Layers,
 * and {@code repositories}. Several images may go into one archive ({@code save -m}); a layer or
 * config they share is stored once. The tarball appears under its name only on {@link #commit()}.
 * Calls are serialised: blobs go into one tar stream, one after the other.
 */
public final class DockerArchiveDestination implements ImageDestination {
    private static final int MAX_CONFIG = 8 << 20;

    /** A manifest.json item under construction. */
    private record Item(String config, List<String> layers, List<String> repoTags) {
    }

    private final Path archive;
    private final Path tmpDir;
    private final TarWriter tar;
    /** blob digest → the layer file that holds it (uncompressed). */
    private final Map<String, String> layerFiles = new HashMap<>();
    /** diff ID → layer file, so that two compressions of one layer are stored once. */
    private final Map<String, String> filesByDiffId = new HashMap<>();
    /** Small JSON blobs, held until a manifest tells whether they are configs. */
    private final Map<String, byte[]> pendingJson = new HashMap<>();
    private final Map<String, String> configFiles = new HashMap<>();
    private final Map<String, Item> itemsByConfig = new LinkedHashMap<>();
    private boolean broken;

    /**
     * @param archive the tarball to write (replaced on commit)
     * @param tmpDir where compressed layers are decompressed before they go into the tarball
     */
    public DockerArchiveDestination(Path archive, Path tmpDir) throws IOException {
        this.archive = archive;
        this.tmpDir = tmpDir;
        this.tar = new TarWriter(archive);
    }

    @Override
    public String describe() {
        return "docker-archive:" + archive;
    }

    @Override
    public synchronized boolean hasBlob(Descriptor descriptor) {
        String d = descriptor.digest();
        return layerFiles.containsKey(d) || pendingJson.containsKey(d) || configFiles.containsKey(d);
    }

    @Override
    public synchronized void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        checkUsable();
        String digest = Digests.validate(descriptor.digest());
        if (hasBlob(descriptor)) {
            return;
        }
        BufferedInputStream in = new BufferedInputStream(content, 1 << 16);
        Compression compression = Compression.sniff(in);
        if (compression == Compression.NONE && looksLikeConfig(descriptor, in)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG + 1);
            if (bytes.length > MAX_CONFIG) {
                throw new IOException(describe() + ": config blob " + digest + " is larger than " + MAX_CONFIG + " bytes");
            }
            pendingJson.put(digest, bytes);
            return;
        }
        broken = true; // until the layer is whole in the tarball
        if (compression == Compression.NONE && descriptor.size() >= 0) {
            // an uncompressed layer's digest is its diff ID: straight into the tarball
            String name = Digests.hex(digest) + ".tar";
            tar.addStream(name, descriptor.size(), in);
            layerFiles.put(digest, name);
            filesByDiffId.put(digest, name);
        } else {
            layerFiles.put(digest, addDecompressed(compression.wrap(in)));
        }
        broken = false;
    }

    /** Decompresses into a temp file (a tar entry needs its size first), then adds it named by its diff ID. */
    private String addDecompressed(InputStream in) throws IOException {
        Files.createDirectories(tmpDir);
        Path staged = Files.createTempFile(tmpDir, "berth-layer-", ".tar");
        try {
            String diffId;
            try (Sha256OutputStream out = new Sha256OutputStream(Files.newOutputStream(staged))) {
                in.transferTo(out);
                diffId = out.digest();
            }
            String existing = filesByDiffId.get(diffId);
            if (existing != null) {
                return existing;
            }
            String name = Digests.hex(diffId) + ".tar";
            tar.addFile(name, staged);
            filesByDiffId.put(diffId, name);
            return name;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** Configs are small JSON documents; layers are tars, which never start with '{'. */
    private static boolean looksLikeConfig(Descriptor descriptor, BufferedInputStream in) throws IOException {
        String type = descriptor.mediaType() == null ? "" : descriptor.mediaType();
        if (type.equals(MediaTypes.DOCKER_CONFIG) || type.equals(MediaTypes.OCI_CONFIG) || type.endsWith("+json")) {
            return true;
        }
        if (descriptor.size() > MAX_CONFIG) {
            return false;
        }
        in.mark(1);
        int first = in.read();
        in.reset();
        return first == '{';
    }

    @Override
    public synchronized void putManifest(RawManifest manifest, String tag) throws IOException {
        checkUsable();
        ImageManifest m;
        try {
            m = ImageManifest.parse(manifest.bytes(), manifest.mediaType());
        } catch (IOException e) {
            throw new IOException(describe() + ": " + e.getMessage(), e);
        }
        String configDigest = m.config().digest();
        String configFile = configFiles.get(configDigest);
        if (configFile == null) {
            byte[] config = pendingJson.remove(configDigest);
            if (config == null) {
                throw new IOException(describe() + ": the config blob " + configDigest + " was not written before the manifest");
            }
            configFile = Digests.hex(configDigest) + ".json";
            tar.addBytes(configFile, config);
            configFiles.put(configDigest, configFile);
        }
        List<String> layers = new ArrayList<>();
        for (Descriptor layer : m.layers()) {
            String file = layerFiles.get(layer.digest());
            if (file == null && pendingJson.containsKey(layer.digest())) {
                // a layer that looked like JSON: store it as the layer it is
                byte[] bytes = pendingJson.remove(layer.digest());
                file = Digests.hex(layer.digest()) + ".tar";
                tar.addBytes(file, bytes);
                layerFiles.put(layer.digest(), file);
            }
            if (file == null) {
                throw new IOException(describe() + ": the layer blob " + layer.digest() + " was not written before the manifest");
            }
            layers.add(file);
        }
        Item item = itemsByConfig.computeIfAbsent(configDigest, k -> new Item(k, layers, new ArrayList<>()));
        if (tag != null && !tag.isEmpty()) {
            String full = withTag(tag);
            if (!item.repoTags().contains(full)) {
                item.repoTags().add(full);
            }
        }
    }

    /** {@code name} gets {@code :latest} when it has no tag, as RepoTags entries always carry one. */
    private static String withTag(String name) {
        return name.lastIndexOf(':') > name.lastIndexOf('/') ? name : name + ":latest";
    }

    @Override
    public synchronized void commit() throws IOException {
        checkUsable();
        if (itemsByConfig.isEmpty()) {
            throw new IOException(describe() + ": no image was written");
        }
        List<Object> manifestJson = new ArrayList<>();
        Map<String, Object> repositories = new LinkedHashMap<>();
        for (Item item : itemsByConfig.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Config", configFiles.get(item.config()));
            entry.put("RepoTags", List.copyOf(item.repoTags()));
            entry.put("Layers", List.copyOf(item.layers()));
            manifestJson.add(entry);
            for (String repoTag : item.repoTags()) {
                int colon = repoTag.lastIndexOf(':');
                @SuppressWarnings("unchecked")
                Map<String, Object> tags = (Map<String, Object>) repositories.computeIfAbsent(repoTag.substring(0, colon), k -> new LinkedHashMap<>());
                // docker's legacy file names the top layer's v1 ID; this archive has no v1 layers, so the image ID stands in
                tags.put(repoTag.substring(colon + 1), Digests.hex(item.config()));
            }
        }
        tar.addBytes("manifest.json", Json.writeBytes(manifestJson));
        tar.addBytes("repositories", Json.writeBytes(repositories));
        tar.commit();
    }

    private void checkUsable() throws IOException {
        if (broken) {
            throw new IOException(describe() + ": an earlier write failed; the archive is unusable");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        tar.close();
    }
}
