package berth.image.support.registry;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.reference.RegistriesConf;
import berth.image.support.reference.RegistryEndpoint;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pull through registries.conf: the endpoints of a reference (its mirrors, then the registry's
 * own, rewritten location) are tried in order for the manifest, and the first that answers serves
 * the blobs too, as containers/image does. The error names every endpoint that failed.
 */
public final class MirroredSource implements ImageSource {
    private final ImageReference requested;
    private final List<RegistryEndpoint> endpoints;
    private final Boolean tlsVerify;
    private final Path authFile;
    private final String credentials;
    private volatile RegistrySource active;

    /**
     * @param tlsVerify {@code --tls-verify}, null for the default (each endpoint's insecure setting decides)
     * @param authFile {@code --authfile}, or null
     * @param credentials {@code --creds USER:PASSWORD}, or null
     */
    public MirroredSource(ImageReference requested, List<RegistryEndpoint> endpoints, Boolean tlsVerify, Path authFile,
                          String credentials) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints for " + requested);
        }
        this.requested = requested;
        this.endpoints = List.copyOf(endpoints);
        this.tlsVerify = tlsVerify;
        this.authFile = authFile;
        this.credentials = credentials;
    }

    /** The endpoints registries.conf gives for {@code ref}; a blocked registry is an error here. */
    public static MirroredSource of(ImageReference ref, RegistriesConf conf, Boolean tlsVerify, Path authFile, String credentials) {
        return new MirroredSource(ref, conf.pullSources(ref), tlsVerify, authFile, credentials);
    }

    @Override
    public String describe() {
        return "docker://" + requested;
    }

    /** The endpoint that served the manifest, or null before {@link #manifest}. */
    public RegistrySource active() {
        return active;
    }

    @Override
    public RawManifest manifest(Platform platform) throws IOException {
        List<String> mirrorFailures = new ArrayList<>();
        for (RegistryEndpoint ep : endpoints) {
            try {
                RegistrySource src = open(ep);
                RawManifest m = src.manifest(platform);
                active = src;
                return m;
            } catch (IOException e) {
                if (ep.mirror()) {
                    mirrorFailures.add(ep.reference() + ": " + e.getMessage());
                    continue;
                }
                if (mirrorFailures.isEmpty()) {
                    throw e;
                }
                String message = "(Mirrors also failed: [" + String.join(", ", mirrorFailures) + "]): " + ep.reference() + ": " + e.getMessage();
                if (e instanceof RegistryException re) {
                    throw new RegistryException(message, re.status(), re.errorCode());
                }
                throw new IOException(message, e);
            }
        }
        // only mirrors were listed (never from registries.conf, which always ends with the location)
        throw new IOException("(Mirrors failed: [" + String.join(", ", mirrorFailures) + "])");
    }

    private RegistrySource open(RegistryEndpoint ep) throws IOException {
        ImageReference ref = ep.reference();
        RegistryOptions options = new RegistryOptions(tlsVerify, authFile, credentials, ep.insecure());
        return new RegistrySource(new RegistryClient(ref.registry(), ref.repository(), options), ref);
    }

    @Override
    public InputStream blob(Descriptor descriptor) throws IOException {
        return require().blob(descriptor);
    }

    @Override
    public InputStream blob(Descriptor descriptor, long offset) throws IOException {
        return require().blob(descriptor, offset);
    }

    private RegistrySource require() {
        RegistrySource s = active;
        if (s == null) {
            throw new IllegalStateException("read the manifest of " + describe() + " before its blobs");
        }
        return s;
    }
}
