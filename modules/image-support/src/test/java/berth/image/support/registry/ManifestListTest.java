package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.ImageIndex;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-platform OCI index pushed with {@code skopeo copy --all}, resolved by platform. */
class ManifestListTest {
    @TempDir
    Path tmp;

    @Test
    void picksThePlatformFromAnIndex() throws IOException {
        try (LocalRegistry registry = new LocalRegistry()) {
            Path layout = TestImages.busyboxLayout(tmp);
            Map<String, String> digests = TestImages.addMultiArchIndex(layout);
            TestImages.skopeoCopy("oci:" + layout + ":multi", "docker://" + registry.host() + "/test/multi:1", "--all");
            ImageReference ref = ImageReference.parse(registry.host() + "/test/multi:1");
            RegistrySource src = new RegistrySource(new RegistryClient(ref.registry(), RegistryOptions.DEFAULT), ref);

            RawManifest top = src.topManifest();
            assertEquals(MediaTypes.OCI_INDEX, top.mediaType());
            assertEquals(digests.get("index"), top.digest());
            assertEquals(2, ImageIndex.parse(top.bytes(), top.mediaType()).manifests().size());

            RawManifest amd = src.manifest(new Platform("linux", "amd64", ""));
            assertEquals(digests.get("linux/amd64"), amd.digest());
            RawManifest arm = src.manifest(new Platform("linux", "arm64", ""));
            assertEquals(digests.get("linux/arm64/v8"), arm.digest());
            assertEquals(arm.digest(), src.manifest(new Platform("linux", "arm64", "v8")).digest());
            ImageManifest armManifest = ImageManifest.parse(arm.bytes(), arm.mediaType());
            try (var in = src.blob(armManifest.config())) {
                assertEquals("arm64", Json.parseObject(in.readAllBytes()).str("architecture"));
            }

            IOException none = assertThrows(IOException.class, () -> src.manifest(new Platform("linux", "s390x", "")));
            assertTrue(none.getMessage().contains("no image found in manifest list for architecture s390x, OS linux"), none.getMessage());
            assertTrue(none.getMessage().contains("linux/amd64, linux/arm64/v8"), none.getMessage());
            assertTrue(none.getMessage().contains("docker://" + ref), none.getMessage());
        }
    }
}
