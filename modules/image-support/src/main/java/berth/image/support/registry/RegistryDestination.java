package berth.image.support.registry;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.reference.ImageReference;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Pushes an image to a registry: each blob the registry lacks goes up as one monolithic upload
 * (POST then PUT ?digest=), then the manifest is PUT under the tag.
 */
public final class RegistryDestination implements ImageDestination {
    private final RegistryClient client;
    private final ImageReference reference;
    private final String scope;

    public RegistryDestination(RegistryClient client, ImageReference reference) {
        this.client = client;
        this.reference = reference;
        this.scope = RegistryClient.scope(reference.repository(), true);
    }

    @Override
    public String describe() {
        return "docker://" + reference;
    }

    @Override
    public boolean hasBlob(Descriptor descriptor) throws IOException {
        Digests.validate(descriptor.digest());
        RegistryResponse r = client.send("HEAD", "/v2/" + reference.repository() + "/blobs/" + descriptor.digest(),
                Map.of(), null, scope);
        r.body().close();
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw RegistryClient.error(r, "checking whether blob " + descriptor.digest() + " exists in " + reference.name());
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) throws IOException {
        Digests.validate(descriptor.digest());
        if (descriptor.size() < 0) {
            throw new IOException("pushing blob " + descriptor.digest() + ": its size is unknown");
        }
        RegistryResponse start = client.send("POST", "/v2/" + reference.repository() + "/blobs/uploads/",
                Map.of(), RequestBody.EMPTY, scope);
        start.body().close();
        String location = start.header("Location").orElse(null);
        if (start.statusCode() != 202 || location == null) {
            throw RegistryClient.error(start, "initiating upload of blob " + descriptor.digest() + " to " + reference.name());
        }
        String target = withDigest(client.base().resolve(URI.create("/v2/" + reference.repository() + "/blobs/uploads/")), location,
                descriptor.digest());
        // the body is single-use: the POST above already settled authorization for this scope
        RegistryResponse done = client.send("PUT", target, Map.of("Content-Type", "application/octet-stream"),
                new RequestBody.Streamed(content, descriptor.size()), scope);
        if (done.statusCode() != 201) {
            throw RegistryClient.error(done, "uploading blob " + descriptor.digest() + " to " + reference.name());
        }
        done.body().close();
    }

    /**
     * Asks the registry to link a blob that {@code fromRepository} (on the same registry) holds,
     * instead of uploading it; false when the registry declines (it then opened an upload that is
     * left to expire).
     */
    public boolean mount(Descriptor descriptor, String fromRepository) throws IOException {
        Digests.validate(descriptor.digest());
        String path = "/v2/" + reference.repository() + "/blobs/uploads/?mount=" + URLEncoder.encode(descriptor.digest(), StandardCharsets.UTF_8)
                + "&from=" + URLEncoder.encode(fromRepository, StandardCharsets.UTF_8);
        RegistryResponse r = client.send("POST", path, Map.of(), RequestBody.EMPTY,
                scope + " repository:" + fromRepository + ":pull");
        r.body().close();
        if (r.statusCode() == 201) {
            return true;
        }
        if (r.statusCode() == 202) {
            return false;
        }
        throw RegistryClient.error(r, "mounting blob " + descriptor.digest() + " from " + fromRepository + " into " + reference.name());
    }

    /** The upload URL with {@code digest=}: Location may be relative or absolute and may carry a query already. */
    static String withDigest(URI uploadsUri, String location, String digest) {
        URI resolved = uploadsUri.resolve(location);
        String s = resolved.toString();
        return s + (resolved.getRawQuery() == null ? "?" : "&") + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) throws IOException {
        String ref = tag == null ? manifest.digest() : tag;
        RegistryResponse r = client.send("PUT", "/v2/" + reference.repository() + "/manifests/" + ref,
                Map.of("Content-Type", manifest.mediaType()), new RequestBody.Bytes(manifest.bytes()), scope);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw RegistryClient.error(r, "writing manifest " + ref + " to " + reference.name());
        }
        r.body().close();
    }

    @Override
    public void commit() {
        // a registry commits with the manifest PUT
    }
}
