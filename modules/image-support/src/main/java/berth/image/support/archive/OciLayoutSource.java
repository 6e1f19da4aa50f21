package berth.image.support.archive;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageIndex;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image of an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/ALG/HEX}) as
 * a source: chosen in index.json by its {@code org.opencontainers.image.ref.name} annotation, by
 * {@code @N}, or as the only entry. An entry that is itself an index is resolved to the manifest
 * for the platform asked. Every blob is verified against its digest as it is read.
 */
public final class OciLayoutSource implements ImageSource {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final int MAX_MANIFEST = 4 << 20;

    private final LayoutFiles files;
    private final String describe;
    private final Descriptor entry;
    private final List<Descriptor> entries;
    private final AutoCloseable onClose;

    /**
     * @param dir the layout directory
     * @param refName the ref name to choose, {@code @N} for the N-th entry, or null for the only image
     */
    public OciLayoutSource(Path dir, String refName) throws IOException {
        this(new LayoutFiles.Directory(dir), "oci:" + dir + (refName == null ? "" : ":" + refName), refName, null);
    }

    OciLayoutSource(LayoutFiles files, String describe, String refName, AutoCloseable onClose) throws IOException {
        this.files = files;
        this.describe = describe;
        this.onClose = onClose;
        this.entries = readIndex(files, describe);
        this.entry = choose(refName);
    }

    /** index.json's entries, after checking the oci-layout marker. */
    static List<Descriptor> readIndex(LayoutFiles files, String describe) throws IOException {
        if (!files.exists("oci-layout")) {
            throw new IOException(describe + ": not an OCI image layout: it has no oci-layout file");
        }
        JsonObject layout;
        try {
            layout = Json.parseObject(files.read("oci-layout", 1 << 16));
        } catch (IOException e) {
            throw new IOException(describe + ": oci-layout is not valid JSON: " + e.getMessage(), e);
        }
        String version = layout.str("imageLayoutVersion", "");
        if (!version.startsWith("1.")) {
            throw new IOException(describe + ": unsupported OCI image layout version \"" + version + "\"");
        }
        if (!files.exists("index.json")) {
            throw new IOException(describe + ": not an OCI image layout: it has no index.json");
        }
        try {
            byte[] bytes = files.read("index.json", MAX_MANIFEST);
            return ImageIndex.parse(bytes, MediaTypes.OCI_INDEX).manifests();
        } catch (IOException e) {
            throw new IOException(describe + ": invalid index.json: " + e.getMessage(), e);
        }
    }

    private Descriptor choose(String refName) throws IOException {
        if (refName == null || refName.isEmpty()) {
            if (entries.size() != 1) {
                throw new IOException(describe + ": more than one image in the layout's index.json (" + entries.size()
                        + "); name one of: " + String.join(", ", refNames()));
            }
            return entries.get(0);
        }
        if (refName.startsWith("@")) {
            int i;
            try {
                i = Integer.parseInt(refName.substring(1));
            } catch (NumberFormatException e) {
                throw new IOException("invalid source index " + refName + ": not an integer");
            }
            if (i < 0 || i >= entries.size()) {
                throw new IOException(describe + ": index " + i + " is too large, only " + entries.size() + " entries available");
            }
            return entries.get(i);
        }
        List<String> unsupported = new ArrayList<>();
        for (Descriptor d : entries) {
            if (refName.equals(d.annotations().get(REF_NAME))) {
                // an entry without a media type (older writers) is taken; its document tells what it is
                if (d.mediaType().isEmpty() || MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType())) {
                    return d;
                }
                unsupported.add(d.mediaType());
            }
        }
        if (!unsupported.isEmpty()) {
            throw new IOException(describe + ": reference \"" + refName + "\" matches unsupported manifest MIME types " + unsupported);
        }
        throw new IOException(describe + ": no image named \"" + refName + "\" in the layout (it holds: "
                + (refNames().isEmpty() ? "no named images" : String.join(", ", refNames())) + ")");
    }

    /** The ref names in index.json, in its order. */
    public List<String> refNames() {
        List<String> out = new ArrayList<>();
        for (Descriptor d : entries) {
            String n = d.annotations().get(REF_NAME);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** The index.json entry this source reads. */
    public Descriptor entry() {
        return entry;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public RawManifest manifest(Platform platform) throws IOException {
        Descriptor d = entry;
        for (int depth = 0; depth < 8; depth++) {
            byte[] bytes = readBlob(d, MAX_MANIFEST);
            String type = ImageManifest.detectMediaType(bytes, d.mediaType());
            if (!MediaTypes.isIndex(type)) {
                return new RawManifest(bytes, type, d.digest());
            }
            try {
                d = ImageIndex.parse(bytes, type).select(platform);
            } catch (IOException e) {
                throw new IOException(describe + ": " + e.getMessage(), e);
            }
        }
        throw new IOException(describe + ": indexes nested too deep");
    }

    private byte[] readBlob(Descriptor d, int limit) throws IOException {
        byte[] bytes;
        try (InputStream in = blob(d)) {
            bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IOException(describe + ": manifest " + d.digest() + " is larger than " + limit + " bytes");
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // reach the end, where the digest is checked
        }
        return bytes;
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        String path = blobPath(descriptor.digest());
        if (!files.exists(path)) {
            throw new IOException(describe + ": blob " + descriptor.digest() + " is missing (no " + path + ")");
        }
        return new VerifyingInputStream(files.open(path), descriptor.digest(), descriptor.size(), describe + ": blob " + descriptor.digest());
    }

    static String blobPath(String digest) throws IOException {
        Digests.validate(digest);
        return "blobs/sha256/" + Digests.hex(digest);
    }

    @Override
    public void close() throws IOException {
        if (onClose != null) {
            try {
                onClose.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
