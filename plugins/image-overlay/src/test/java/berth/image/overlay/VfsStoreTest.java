package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.PullOptions;
import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain-copy fallback end to end: podman's vfs layout, read and run by podman with --storage-driver vfs. */
class VfsStoreTest {
    @TempDir
    Path dir;
    StoreFixture fx;

    @BeforeEach
    void setUp() {
        TestImages.requireTools();
        fx = new StoreFixture(dir.resolve("store"));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.podman.cleanup();
        }
    }

    @Test
    void loadRunMountSaveAndRemoveWithFullCopies() throws Exception {
        Path archive = TestImages.dockerArchive(dir, "localhost/v:1", "vfs");
        String cid = Ids.random();
        ImageInfo image;
        try (OverlayImageStore store = fx.open("vfs")) {
            assertEquals("vfs", store.driver());
            image = store.load(archive, PullOptions.DEFAULT).get(0);
            Path layerDir = fx.root.resolve("vfs/dir").resolve(image.topLayer());
            assertTrue(Files.isRegularFile(layerDir.resolve("bin/busybox")));
            assertTrue(Files.exists(fx.root.resolve("vfs-layers/layers.json")));
            assertTrue(Files.exists(fx.root.resolve("vfs-images/images.json")));

            var cs = store.createContainer(cid, "vc", image.id());
            Path root = store.mount(cid);
            assertEquals(fx.root.resolve("vfs/dir").resolve(cs.layerId()), root);
            assertEquals("vfs\n", Files.readString(root.resolve("marker")));
            Files.writeString(root.resolve("own"), "x");
            assertFalse(Files.exists(layerDir.resolve("own")), "a container's copy is its own");
            Files.delete(root.resolve("marker"));
            Files.createDirectories(root.resolve("etc/new"));
            Files.writeString(root.resolve("etc/new/file"), "y");
            store.unmount(cid, false);
            assertTrue(Files.readString(fx.runRoot.resolve("vfs-layers/mountpoints.json")).equals("[]"));
            ImageInfo committed = store.commit(cid, "vcommit", null, null, null);
            assertEquals(2, committed.layers().size());
            Path top = fx.root.resolve("vfs/dir").resolve(committed.topLayer());
            assertEquals("x", Files.readString(top.resolve("own")));
            assertEquals("y", Files.readString(top.resolve("etc/new/file")));
            assertFalse(Files.exists(top.resolve("marker")), "the deletion became a whiteout, applied in the copy");
            assertTrue(Files.isRegularFile(top.resolve("bin/busybox")));

            Path saved = dir.resolve("saved.tar");
            store.save(List.of("v:1"), saved, ArchiveFormat.DOCKER_ARCHIVE);
            assertTrue(Sys.ok("tar", "-tf", saved.toString()).contains(image.layers().get(0).substring(7) + ".tar"));
        }
        assertTrue(fx.podman.ok("ps", "-a", "--external", "--no-trunc").contains(cid));
        Sys.Result run = fx.podman.run("run", "--rm", "--net=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "localhost/v:1", "/bin/busybox", "cat", "/marker");
        assertEquals(0, run.rc(), run.out());
        assertTrue(run.out().contains("vfs"));
        Sys.Result committedRun = fx.podman.run("run", "--rm", "--net=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "localhost/vcommit:latest", "/bin/busybox", "sh", "-c", "cat /own /etc/new/file; ls /");
        assertEquals(0, committedRun.rc(), committedRun.out());
        assertTrue(committedRun.out().startsWith("xy"), committedRun.out());
        assertFalse(committedRun.out().contains("marker"), committedRun.out());
        try (OverlayImageStore store = fx.open("vfs")) {
            store.removeContainer(cid);
            store.remove("vcommit", false);
            assertEquals(List.of(image.id()), store.remove("v:1", false).deleted());
            try (var s = Files.list(fx.root.resolve("vfs/dir"))) {
                assertEquals(0, s.count());
            }
        }
    }
}
