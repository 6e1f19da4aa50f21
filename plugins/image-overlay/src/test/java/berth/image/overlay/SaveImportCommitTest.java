package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.PullOptions;
import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save (docker-archive, oci-archive, oci-dir), import and commit, each checked with podman or skopeo. */
class SaveImportCommitTest {
    static final String[] RUN = {"run", "--rm", "--net=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"};

    @TempDir
    Path dir;
    StoreFixture fx;
    StoreFixture other;
    ImageInfo loaded;

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireTools();
        fx = new StoreFixture(dir.resolve("store"));
        other = new StoreFixture(dir.resolve("other"));
        try (OverlayImageStore store = fx.open()) {
            loaded = store.load(TestImages.dockerArchive(dir, "localhost/t:1", "saved"), PullOptions.DEFAULT).get(0);
        }
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.podman.cleanup();
            other.podman.cleanup();
        }
    }

    private String run(StoreFixture f, String image, String... cmd) {
        String[] args = new String[RUN.length + 1 + cmd.length];
        System.arraycopy(RUN, 0, args, 0, RUN.length);
        args[RUN.length] = image;
        System.arraycopy(cmd, 0, args, RUN.length + 1, cmd.length);
        Sys.Result r = f.podman.run(args);
        assertEquals(0, r.rc(), r.out());
        return r.out();
    }

    @Test
    void savedArchivesLoadInPodmanAsTheSameImage() throws Exception {
        Path docker = dir.resolve("saved-docker.tar");
        Path oci = dir.resolve("saved-oci.tar");
        Path ociDir = dir.resolve("saved-oci-dir");
        try (OverlayImageStore store = fx.open()) {
            store.save(List.of("t:1"), docker, ArchiveFormat.DOCKER_ARCHIVE);
            store.save(List.of("t:1"), oci, ArchiveFormat.OCI_ARCHIVE);
            store.save(List.of("t:1"), ociDir, ArchiveFormat.OCI_DIR);
        }
        String out = other.podman.ok("load", "-i", docker.toString());
        assertTrue(out.contains("localhost/t:1"), out);
        assertTrue(other.podman.ok("images", "--no-trunc", "-q").contains(loaded.id()), "same config, same id");
        assertTrue(run(other, "localhost/t:1", "/bin/busybox", "cat", "/marker").contains("saved"));
        // the layer in the archive is the layer as loaded, byte for byte: its digest is the diff id
        String listing = Sys.ok("tar", "-tf", docker.toString());
        assertTrue(listing.contains(loaded.layers().get(0).substring("sha256:".length()) + ".tar"), listing);

        assertTrue(Sys.ok(TestImages.SKOPEO, "inspect", "oci-archive:" + oci).contains(loaded.layers().get(0)));
        String inspected = Sys.ok(TestImages.SKOPEO, "inspect", "--config", "oci:" + ociDir);
        assertTrue(inspected.contains(loaded.layers().get(0)), inspected);
        other.podman.ok("rmi", "-a", "-f");
        other.podman.ok("load", "-i", oci.toString());
        assertTrue(other.podman.ok("images", "--no-trunc", "-q").contains(loaded.id()));
    }

    @Test
    void whatBerthSavesBerthLoadsAndPullsBack() throws Exception {
        Path oci = dir.resolve("back.tar");
        Path docker = dir.resolve("back-docker.tar");
        Path ociDir = dir.resolve("back-dir");
        try (OverlayImageStore store = fx.open()) {
            store.save(List.of("t:1"), oci, ArchiveFormat.OCI_ARCHIVE);
            store.save(List.of("t:1"), docker, ArchiveFormat.DOCKER_ARCHIVE);
            store.save(List.of("t:1"), ociDir, ArchiveFormat.OCI_DIR);
        }
        try (OverlayImageStore store = other.open()) {
            List<ImageInfo> fromOci = store.load(oci, PullOptions.DEFAULT);
            assertEquals(List.of(loaded.id()), fromOci.stream().map(ImageInfo::id).toList());
            assertEquals(loaded.layers(), fromOci.get(0).layers());
            store.remove(loaded.id(), true);
            ImageInfo viaPull = store.pull("docker-archive:" + docker, PullOptions.DEFAULT);
            assertEquals(loaded.id(), viaPull.id());
            assertEquals(List.of("localhost/t:1"), viaPull.names());
            store.remove(loaded.id(), true);
            ImageInfo fromDir = store.pull("oci:" + ociDir, PullOptions.DEFAULT);
            assertEquals(loaded.id(), fromDir.id());
            assertEquals(1, store.list().size());
        }
    }

    @Test
    void importedRootfsRunsInPodman() throws Exception {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of(Sys.BUSYBOX), rootfs.resolve("bin/busybox"));
        Files.writeString(rootfs.resolve("hello"), "imported\n");
        Path tar = dir.resolve("rootfs.tar.gz");
        Sys.ok("tar", "-czf", tar.toString(), "-C", rootfs.toString(), ".");
        ImageInfo imported;
        try (OverlayImageStore store = fx.open()) {
            ImageConfig cfg = new ImageConfig("", List.of("A=1"), List.of(), List.of("/bin/busybox", "cat", "/hello"), "/", "",
                    List.of("80/tcp"), List.of(), Map.of("k", "v"));
            imported = store.importTarball(tar, "imported", cfg);
            assertEquals(List.of("localhost/imported:latest"), imported.names());
            assertEquals(1, imported.layers().size());
            assertEquals(List.of("80/tcp"), imported.config().exposedPorts());
            assertEquals(Map.of("k", "v"), imported.config().labels());
        }
        assertTrue(run(fx, "localhost/imported:latest").contains("imported"));
        String history = fx.podman.ok("history", "--format", "{{.Comment}}", "localhost/imported:latest");
        assertTrue(history.contains("imported from tarball"), history);
    }

    @Test
    void committedContainerChangesRunInPodman() throws Exception {
        String cid = Ids.random();
        ImageInfo committed;
        try (OverlayImageStore store = fx.open()) {
            store.createContainer(cid, "c1", loaded.id());
            Path root = store.mount(cid);
            Files.writeString(root.resolve("added"), "committed\n");
            Files.delete(root.resolve("marker"));
            store.unmount(cid, false);
            committed = store.commit(cid, "committed:v1", null, "me", "a comment");
            assertEquals(List.of("localhost/committed:v1"), committed.names());
            assertEquals(2, committed.layers().size());
            assertEquals(loaded.layers().get(0), committed.layers().get(0));
            assertEquals("me", committed.author());
            assertEquals(loaded.config().cmd(), committed.config().cmd());
            store.removeContainer(cid);
        }
        assertTrue(run(fx, "localhost/committed:v1", "/bin/busybox", "cat", "/added").contains("committed"));
        String ls = run(fx, "localhost/committed:v1", "/bin/busybox", "ls", "/");
        assertFalse(ls.contains("marker"), "the deletion is a whiteout: " + ls);
        // the base image still has it
        assertTrue(run(fx, "localhost/t:1", "/bin/busybox", "ls", "/").contains("marker"));
        // removing the base image keeps the layer the committed image stands on
        try (OverlayImageStore store = fx.open()) {
            assertEquals(List.of(loaded.id()), store.remove("t:1", false).deleted());
            assertTrue(Files.isDirectory(fx.root.resolve("overlay").resolve(loaded.topLayer())));
            assertEquals(2, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
            store.remove("committed:v1", false);
            assertEquals(0, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size(), "both layers go with the last image");
        }
    }
}
