package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.transport.RawManifest;
import berth.support.FileTrees;
import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic and Bearer authentication, answered by a proxy in front of the real registry. */
class AuthTest {
    static final Platform AMD64 = new Platform("linux", "amd64", "");
    static LocalRegistry registry;
    static String manifestDigest;
    static Path layoutDir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushTestImage() throws IOException {
        registry = new LocalRegistry();
        layoutDir = Files.createTempDirectory("berth-auth-");
        Path layout = TestImages.busyboxLayout(layoutDir);
        manifestDigest = TestImages.indexEntry(layout, "t").str("digest");
        TestImages.skopeoCopy("oci:" + layout + ":t", "docker://" + registry.host() + "/test/busybox:1");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (layoutDir != null) {
            FileTrees.delete(layoutDir); // the image's layout and bundle, left in /tmp before
        }
    }

    private static RegistrySource source(RegistryProxy proxy, RegistryOptions options) throws IOException {
        ImageReference ref = ImageReference.parse(proxy.host() + "/test/busybox:1");
        return new RegistrySource(new RegistryClient(ref.registry(), options), ref);
    }

    private static RegistryOptions creds(String userPass) {
        return new RegistryOptions(null, null, userPass, false);
    }

    @Test
    void basicWithCredentials() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.basicUser = "alice";
            proxy.basicPassword = "s3cret:with:colons";
            RegistrySource src = source(proxy, creds("alice:s3cret:with:colons"));
            RawManifest m = src.manifest(AMD64);
            assertEquals(manifestDigest, m.digest());
            try (InputStream in = src.blob(ImageManifest.parse(m.bytes(), m.mediaType()).config())) {
                assertTrue(in.readAllBytes().length > 0);
            }
        }
    }

    @Test
    void basicWithoutCredentialsSaysSo() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.basicUser = "alice";
            proxy.basicPassword = "pw";
            RegistryException none = assertThrows(RegistryException.class, () -> source(proxy, RegistryOptions.DEFAULT).manifest(AMD64));
            assertTrue(none.isUnauthorized());
            assertTrue(none.getMessage().contains("authentication required by " + proxy.host()), none.getMessage());
            RegistryException wrong = assertThrows(RegistryException.class, () -> source(proxy, creds("alice:nope")).manifest(AMD64));
            assertTrue(wrong.isUnauthorized());
            assertEquals("reading manifest 1 in " + proxy.host() + "/test/busybox: unauthorized: authentication required", wrong.getMessage());
        }
    }

    @Test
    void basicFromAnAuthFile() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.basicUser = "bob";
            proxy.basicPassword = "pw";
            Path auth = Files.writeString(tmp.resolve("auth.json"), "{\"auths\":{\"" + proxy.host() + "\":{\"auth\":\""
                    + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            assertEquals(manifestDigest, source(proxy, new RegistryOptions(null, auth, null, false)).manifest(AMD64).digest());
            IOException missing = assertThrows(IOException.class,
                    () -> source(proxy, new RegistryOptions(null, tmp.resolve("nope.json"), null, false)));
            assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
        }
    }

    @Test
    void bearerAnonymousTokenPerScopeIsCached() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.bearer = true;
            RegistrySource src = source(proxy, RegistryOptions.DEFAULT);
            RawManifest m = src.manifest(AMD64);
            assertEquals(manifestDigest, m.digest());
            for (Descriptor d : ImageManifest.parse(m.bytes(), m.mediaType()).layers()) {
                try (InputStream in = src.blob(d)) {
                    assertEquals(d.size(), in.readAllBytes().length);
                }
            }
            src.manifest(AMD64);
            assertEquals(List.of("service=berth-test&scope=repository%3Atest%2Fbusybox%3Apull"), proxy.tokenRequests,
                    "one token for the pull scope, reused");
        }
    }

    @Test
    void bearerWithCredentialsAndAccessTokenFieldPushes() throws IOException {
        try (RegistryProxy proxy = new RegistryProxy(registry.host())) {
            proxy.bearer = true;
            proxy.useAccessTokenField = true;
            proxy.basicUser = "carol";
            proxy.basicPassword = "pw";
            RegistryOptions options = creds("carol:pw");
            RegistrySource src = source(proxy, options);
            RawManifest m = src.manifest(AMD64);
            ImageManifest parsed = ImageManifest.parse(m.bytes(), m.mediaType());
            ImageReference target = ImageReference.parse(proxy.host() + "/pushed/app:7");
            RegistryDestination dest = new RegistryDestination(new RegistryClient(target.registry(), options), target);
            List<Descriptor> blobs = new ArrayList<>(parsed.layers());
            blobs.add(parsed.config());
            for (Descriptor d : blobs) {
                if (!dest.hasBlob(d)) {
                    try (InputStream in = src.blob(d)) {
                        dest.putBlob(d, in);
                    }
                }
            }
            dest.putManifest(m, "7");
            assertTrue(proxy.tokenRequests.contains("service=berth-test&scope=repository%3Apushed%2Fapp%3Apull%2Cpush"), proxy.tokenRequests.toString());
            // the registry behind the proxy has it
            assertEquals(m.digest(), TestImages.skopeoInspect("docker://" + registry.host() + "/pushed/app:7").str("Digest"));

            RegistryException wrong = assertThrows(RegistryException.class, () -> source(proxy, creds("carol:bad")).manifest(AMD64));
            assertTrue(wrong.getMessage().startsWith("unable to retrieve auth token: invalid username/password: "), wrong.getMessage());
        }
    }
}
