package berth.image.support.registry;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageIndex;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Pulls an image from a registry: {@code docker://REGISTRY/REPOSITORY:TAG}. */
public final class RegistrySource implements ImageSource {
    /** What berth can read, preferred first (containers/image sends the same set). */
    public static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final long MAX_MANIFEST = 4 * 1024 * 1024;

    private final RegistryClient client;
    private final ImageReference reference;
    private final String scope;

    public RegistrySource(RegistryClient client, ImageReference reference) {
        this.client = client;
        this.reference = reference;
        this.scope = RegistryClient.scope(reference.repository(), false);
    }

    public ImageReference reference() {
        return reference;
    }

    @Override
    public String describe() {
        return "docker://" + reference;
    }

    /**
     * The manifest the reference names, as the registry holds it: possibly a list or index. A
     * reference by digest is checked against the bytes.
     */
    public RawManifest topManifest() throws IOException {
        return fetchManifest(reference.tagOrDigest(), reference.digest());
    }

    @Override
    public RawManifest manifest(Platform platform) throws IOException {
        RawManifest top = topManifest();
        if (!MediaTypes.isIndex(top.mediaType())) {
            return top;
        }
        Descriptor chosen;
        try {
            chosen = ImageIndex.parse(top.bytes(), top.mediaType()).select(platform);
        } catch (IOException e) {
            throw new IOException("choosing an image from manifest list " + describe() + ": " + e.getMessage(), e);
        }
        RawManifest m = fetchManifest(chosen.digest(), chosen.digest());
        if (MediaTypes.isIndex(m.mediaType())) {
            throw new IOException(describe() + ": the manifest list entry for " + platform + " is itself a list");
        }
        return m;
    }

    /** GET a manifest by tag or digest; {@code expectedDigest} (may be null) must match its bytes. */
    public RawManifest fetchManifest(String tagOrDigest, String expectedDigest) throws IOException {
        String path = "/v2/" + reference.repository() + "/manifests/" + tagOrDigest;
        RegistryResponse r = client.send("GET", path, Map.of("Accept", ACCEPT), null, scope);
        if (r.statusCode() != 200) {
            throw RegistryClient.error(r, "reading manifest " + tagOrDigest + " in " + reference.name());
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes((int) MAX_MANIFEST + 1);
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new IOException("reading manifest " + tagOrDigest + " in " + reference.name() + ": larger than " + MAX_MANIFEST + " bytes");
        }
        String digest = Digests.of(bytes);
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new IOException("manifest " + tagOrDigest + " in " + reference.name() + " has digest " + digest
                    + ", not the expected " + expectedDigest);
        }
        String type = ImageManifest.detectMediaType(bytes, r.header("Content-Type").orElse(null));
        return new RawManifest(bytes, type, digest);
    }

    /**
     * The digest of the manifest the reference names, from a HEAD request (no body transferred), as
     * a store checks whether its copy is current; null when the registry sends no
     * Docker-Content-Digest header.
     */
    public String manifestDigest() throws IOException {
        String path = "/v2/" + reference.repository() + "/manifests/" + reference.tagOrDigest();
        RegistryResponse r = client.send("HEAD", path, Map.of("Accept", ACCEPT), null, scope);
        if (r.statusCode() != 200) {
            throw RegistryClient.error(r, "reading manifest " + reference.tagOrDigest() + " in " + reference.name());
        }
        r.body().close();
        String digest = r.header("Docker-Content-Digest").orElse(null);
        return Digests.isValid(digest) ? digest : null;
    }

    /** The repository's tags, all pages ({@code skopeo list-tags}). */
    public java.util.List<String> tags() throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        String next = "/v2/" + reference.repository() + "/tags/list";
        for (int pages = 0; next != null && pages < 1000; pages++) {
            RegistryResponse r = client.send("GET", next, Map.of(), null, scope);
            if (r.statusCode() != 200) {
                throw RegistryClient.error(r, "fetching tags list of " + reference.name());
            }
            try (InputStream in = r.body()) {
                out.addAll(berth.kernel.json.Json.parseObject(in.readAllBytes()).strings("tags"));
            }
            next = nextPage(r.header("Link").orElse(null));
        }
        return out;
    }

    /** The target of {@code Link: </v2/x/tags/list?n=100&last=a>; rel="next"}, or null. */
    static String nextPage(String link) {
        if (link == null || !link.contains("rel=\"next\"")) {
            return null;
        }
        int lt = link.indexOf('<');
        int gt = link.indexOf('>', lt + 1);
        return lt < 0 || gt < 0 ? null : link.substring(lt + 1, gt);
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        return blob(descriptor, 0);
    }

    /** The blob from {@code offset}: a Range request; a registry that ignores it (200) is skipped forward. */
    @Override
    public InputStream blob(Descriptor descriptor, long offset) throws IOException {
        Digests.validate(descriptor.digest());
        String path = "/v2/" + reference.repository() + "/blobs/" + descriptor.digest();
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        RegistryResponse r = client.send("GET", path, headers, null, scope);
        int s = r.statusCode();
        if (s == 206 && offset > 0) {
            return r.body();
        }
        if (s == 200) {
            InputStream in = r.body();
            if (offset > 0) {
                in.skipNBytes(offset);
            }
            return in;
        }
        throw RegistryClient.error(r, "fetching blob " + descriptor.digest() + " from " + reference.name());
    }
}
