package berth.image.support.archive;

import static berth.image.support.archive.ArchiveFixtures.copy;
import static berth.image.support.archive.ArchiveFixtures.readVerified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.RawManifest;
import berth.support.FileTrees;
import berth.testsupport.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** oci-archive: skopeo's and podman's read in place, ours read by skopeo and loaded and run by podman. */
class OciArchiveTest {
    private static Path work;
    private static Path layout;
    private static Path skopeoTar;
    private static Path tmp;

    @BeforeAll
    static void build() throws IOException {
        work = Files.createTempDirectory("berth-oci-archive-");
        layout = ArchiveFixtures.buildLayout(work);
        skopeoTar = work.resolve("skopeo-oci.tar");
        Sys.ok(ArchiveFixtures.SKOPEO, "copy", "-q", "oci:" + layout + ":t", "oci-archive:" + skopeoTar + ":busy");
        tmp = work.resolve("tmp");
        Files.createDirectories(tmp);
    }

    @AfterAll
    static void clean() {
        FileTrees.delete(work);
    }

    @Test
    void readsSkopeosOciArchiveInPlace() throws IOException {
        for (String ref : new String[] {"busy", null}) {
            try (OciArchiveSource src = OciArchiveSource.open(skopeoTar, ref, tmp)) {
                RawManifest raw = src.manifest(Platform.host());
                assertEquals(MediaTypes.OCI_MANIFEST, raw.mediaType());
                ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
                assertEquals(2, m.layers().size());
                for (Descriptor d : m.layers()) {
                    readVerified(src, d);
                }
                readVerified(src, m.config());
            }
        }
        IOException e = assertThrows(IOException.class, () -> OciArchiveSource.open(skopeoTar, "other", tmp));
        assertTrue(e.getMessage().contains("oci-archive:" + skopeoTar) && e.getMessage().contains("busy"), e.getMessage());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "an uncompressed archive is read in place, nothing unpacked");
        }
    }

    @Test
    void writesAnOciArchiveThatSkopeoReadsAndPodmanLoadsAndRuns() throws IOException {
        Path docker = work.resolve("from.tar");
        Sys.ok(ArchiveFixtures.SKOPEO, "copy", "-q", "oci:" + layout + ":t2", "docker-archive:" + docker + ":test/two:1");
        Path out = work.resolve("ours-oci.tar");
        try (DockerArchiveSource src = DockerArchiveSource.open(docker, null, tmp);
                OciArchiveDestination dst = new OciArchiveDestination(out, tmp)) {
            copy(src, dst, "localhost/berth/oci:1");
            assertEquals(MediaTypes.OCI_MANIFEST, dst.lastManifest().mediaType(), "a Docker manifest is stored as OCI");
            dst.commit();
        }
        try (OciArchiveSource ours = OciArchiveSource.open(out, "localhost/berth/oci:1", tmp)) {
            RawManifest raw = ours.manifest(Platform.host());
            ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
            assertEquals(MediaTypes.OCI_CONFIG, m.config().mediaType());
            for (Descriptor d : m.layers()) {
                assertEquals(MediaTypes.OCI_LAYER, d.mediaType(), "the docker-archive's plain tars are labelled plain");
                readVerified(ours, d);
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "the temp layout is gone after close");
        }
        assertEquals(ArchiveFormat.OCI_ARCHIVE, ArchiveFormats.detect(out));
        String inspect = Sys.ok(ArchiveFixtures.SKOPEO, "inspect", "oci-archive:" + out + ":localhost/berth/oci:1");
        assertTrue(inspect.contains("berth.test"), inspect);

        try (ArchiveFixtures.Podman podman = new ArchiveFixtures.Podman()) {
            String loaded = podman.ok("load", "-i", out.toString());
            assertTrue(loaded.contains("Loaded image"), loaded);
            String label = podman.ok("image", "inspect", "--format", "{{index .Labels \"berth.test\"}}", "localhost/berth/oci:1").strip();
            assertEquals("second", label);
            assertEquals("hello from layer two", podman.runContainer("localhost/berth/oci:1", "/bin/busybox", "cat", "/hello.txt").strip());

            // what podman saves as oci-archive reads back, every blob verified
            Path saved = work.resolve("podman-oci.tar");
            podman.ok("save", "--format", "oci-archive", "-o", saved.toString(), "localhost/berth/oci:1");
            try (OciArchiveSource src = OciArchiveSource.open(saved, null, tmp)) {
                ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
                for (Descriptor d : m.layers()) {
                    readVerified(src, d);
                }
                readVerified(src, m.config());
            }
        }
    }

    @Test
    void aGzipCompressedArchiveIsDecompressedOnceAndCleanedOnClose() throws IOException {
        Path gz = work.resolve("oci.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(skopeoTar, out);
        }
        Path own = work.resolve("gz-tmp");
        try (OciArchiveSource src = OciArchiveSource.open(gz, "busy", own)) {
            try (Stream<Path> s = Files.list(own)) {
                assertEquals(1, s.count());
            }
            ImageManifest m = ImageManifest.parse(src.manifest(Platform.host()).bytes(), null);
            readVerified(src, m.layers().get(0));
        }
        try (Stream<Path> s = Files.list(own)) {
            assertEquals(0, s.count());
        }
    }
}
