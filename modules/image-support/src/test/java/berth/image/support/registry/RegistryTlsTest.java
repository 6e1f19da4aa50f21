package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.support.FileTrees;
import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A registry with a self-signed certificate: refused by default, used over HTTPS with --tls-verify=false or insecure. */
class RegistryTlsTest {
    static final Platform AMD64 = new Platform("linux", "amd64", "");
    static LocalRegistry registry;
    static Path tempDir;
    static String manifestDigest;

    @BeforeAll
    static void pushTestImage() throws IOException {
        registry = LocalRegistry.withSelfSignedTls();
        tempDir = Files.createTempDirectory("berth-tls-");
        Path layout = TestImages.busyboxLayout(tempDir);
        manifestDigest = TestImages.indexEntry(layout, "t").str("digest");
        TestImages.skopeoCopy("oci:" + layout + ":t", "docker://" + registry.host() + "/test/busybox:1");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tempDir != null) {
            FileTrees.delete(tempDir); // the pushed image's layout, left in /tmp before
        }
    }

    private static RegistrySource source(RegistryOptions options) throws IOException {
        ImageReference ref = ImageReference.parse(registry.host() + "/test/busybox:1");
        return new RegistrySource(new RegistryClient(ref.registry(), options), ref);
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefault() {
        IOException e = assertThrows(IOException.class, () -> source(RegistryOptions.DEFAULT).manifest(AMD64));
        assertTrue(e.getMessage().startsWith("pinging container registry " + registry.host() + ": Get \"https://"), e.getMessage());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }

    @Test
    void tlsVerifyFalseAcceptsItOverHttps() throws IOException {
        RegistryClient client = new RegistryClient(registry.host(), new RegistryOptions(false, null, null, false));
        assertEquals("https", client.base().getScheme(), "HTTPS is still preferred; only the certificate is not checked");
        ImageReference ref = ImageReference.parse(registry.host() + "/test/busybox:1");
        assertEquals(manifestDigest, new RegistrySource(client, ref).manifest(AMD64).digest());
    }

    @Test
    void anInsecureRegistryFromRegistriesConfToo() throws IOException {
        assertEquals(manifestDigest, source(new RegistryOptions(null, null, null, true)).manifest(AMD64).digest());
        IOException e = assertThrows(IOException.class, () -> source(new RegistryOptions(true, null, null, true)).manifest(AMD64));
        assertTrue(e.getMessage().contains("TLS"), "--tls-verify=true overrides insecure: " + e.getMessage());
    }
}
