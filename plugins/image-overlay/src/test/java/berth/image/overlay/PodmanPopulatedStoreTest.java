package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageInfo;
import berth.kernel.spi.image.ContainerStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth's store on a store podman populated: it reads podman's images and containers, and podman reads berth's containers. */
class PodmanPopulatedStoreTest {
    @TempDir
    Path dir;
    StoreFixture fx;
    String imageId;

    @BeforeEach
    void podmanLoadsAnImage() throws Exception {
        TestImages.requireTools();
        fx = new StoreFixture(dir);
        Path tar = TestImages.dockerArchive(dir, "localhost/t:1", "podman");
        fx.podman.ok("load", "-q", "-i", tar.toString());
        imageId = fx.podman.ok("images", "--no-trunc", "-q").trim().replace("sha256:", "");
    }

    @AfterEach
    void cleanup() {
        if (fx != null) {
            fx.podman.cleanup();
        }
    }

    @Test
    void listsAndFindsPodmansImage() {
        try (OverlayImageStore store = fx.open()) {
            List<ImageInfo> images = store.list();
            assertEquals(1, images.size());
            ImageInfo i = images.get(0);
            assertEquals(imageId, i.id());
            assertEquals(List.of("localhost/t:1"), i.names());
            assertEquals("linux", i.os());
            assertEquals(List.of("/bin/busybox", "sh"), i.config().cmd());
            assertEquals(1, i.layers().size());
            assertTrue(i.size() > 1_000_000, "size " + i.size());
            assertTrue(i.digest().startsWith("sha256:"));
            assertEquals(List.of("localhost/t@" + i.digest()), i.repoDigests());
            assertEquals(imageId, store.find("t:1").orElseThrow().id());
            assertEquals(imageId, store.find("localhost/t:1").orElseThrow().id());
            assertEquals(imageId, store.find(imageId.substring(0, 7)).orElseThrow().id());
            assertEquals(imageId, store.find("localhost/t@" + i.digest()).orElseThrow().id());
            assertTrue(store.find("t").isEmpty(), "t means t:latest");
        }
    }

    @Test
    void containerMadeByBerthMountsBusyboxAndPodmanSeesIt() throws Exception {
        String cid = Ids.random();
        try (OverlayImageStore store = fx.open()) {
            ContainerStorage cs = store.createContainer(cid, "berthc", imageId);
            assertEquals(imageId, cs.imageId());
            Path root = store.mount(cid);
            assertTrue(Files.isRegularFile(root.resolve("bin/busybox")), "busybox in " + root);
            assertEquals("podman\n", Files.readString(root.resolve("marker")));
            Files.writeString(root.resolve("written-by-berth"), "x");
            assertTrue(Files.exists(fx.root.resolve("overlay").resolve(cs.layerId()).resolve("diff/written-by-berth")));
            assertEquals(root, store.mount(cid), "a second mount is counted");
            assertTrue(Files.readString(fx.runRoot.resolve("overlay-layers/mountpoints.json")).contains("\"count\":2"));
            store.unmount(cid, false);
            assertTrue(LinuxMounts.isMountPoint(root), "still mounted once");
            store.unmount(cid, false);
            assertFalse(LinuxMounts.isMountPoint(root));

            // podman sees the storage container, and mounts it through its own driver
            assertTrue(fx.podman.ok("ps", "-a", "--external", "--no-trunc", "--format", "{{.ID}} {{.Names}}").contains(cid + " berthc"));

            BerthException inUse = assertThrows(BerthException.class, () -> store.remove("localhost/t:1", false));
            assertEquals(ErrorCode.IMAGE_IN_USE, inUse.code());
            store.removeContainer(cid);
            assertTrue(store.container(cid).isEmpty());
            assertFalse(Files.exists(fx.root.resolve("overlay").resolve(cs.layerId())));
        }
        // podman agrees the container is gone and the image is free
        assertFalse(fx.podman.ok("ps", "-a", "--external", "--no-trunc").contains(cid));
        fx.podman.ok("rmi", "localhost/t:1");
    }

    /** The super options of the mount at {@code target}, from mountinfo. */
    private static String superOptions(Path target) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(target.toString())) {
                return f[f.length - 1];
            }
        }
        return "";
    }

    @Test
    void aVolatileContainerIsMountedVolatileByBerthAndByPodman() throws Exception {
        String cid = Ids.random();
        try (OverlayImageStore store = fx.open()) {
            store.createContainer(cid, "vol", imageId, true);
            assertTrue(Files.readString(fx.root.resolve("overlay-containers/containers.json")).contains("\"Volatile\":true"));
            Path root = store.mount(cid);
            assertTrue(superOptions(root).contains("volatile"), superOptions(root));
            Files.writeString(root.resolve("f"), "x");
            store.unmount(cid, false);
            // a second volatile mount of the same work dir (overlayfs refuses it while the first one's mark is there)
            root = store.mount(cid);
            assertEquals("x", Files.readString(root.resolve("f")));
            store.unmount(cid, false);
            assertFalse(LinuxMounts.isMountPoint(root));
            // podman reads the flag and mounts it volatile too
            assertEquals(root.toString(), fx.podman.ok("mount", cid).trim());
            assertTrue(superOptions(root).contains("volatile"), superOptions(root));
            fx.podman.ok("umount", cid);
            String plain = Ids.random();
            store.createContainer(plain, "plain", imageId, false);
            Path plainRoot = store.mount(plain);
            assertFalse(superOptions(plainRoot).contains("volatile"), superOptions(plainRoot));
            store.unmount(plain, false);
            store.removeContainer(plain);
            store.removeContainer(cid);
        }
    }

    @Test
    void podmansContainerIsListedAndMountable() throws Exception {
        String cid = fx.podman.ok("create", "--name", "pc", "localhost/t:1", "/bin/busybox", "true").trim();
        try (OverlayImageStore store = fx.open()) {
            ContainerStorage cs = store.container(cid).orElseThrow();
            assertEquals("pc", cs.name());
            assertEquals(imageId, cs.imageId());
            assertEquals(1, store.containers().size());
            Path root = store.mount(cid);
            assertTrue(Files.isRegularFile(root.resolve("bin/busybox")));
            // podman's mount of the same container shares the count
            assertEquals(root.toString(), fx.podman.ok("mount", cid).trim());
            assertTrue(Files.readString(fx.runRoot.resolve("overlay-layers/mountpoints.json")).contains("\"count\":2"));
            store.unmount(cid, false);
            assertTrue(LinuxMounts.isMountPoint(root), "podman's mount still holds");
            fx.podman.ok("umount", cid);
            assertFalse(LinuxMounts.isMountPoint(root));
        }
    }

    @Test
    void tagUntagAndRemoveAreWhatPodmanSees() {
        try (OverlayImageStore store = fx.open()) {
            ImageInfo tagged = store.tag("t:1", "other");
            assertEquals(List.of("localhost/t:1", "localhost/other:latest"), tagged.names());
            assertTrue(fx.podman.ok("images", "--format", "{{.Repository}}:{{.Tag}}").contains("localhost/other:latest"));
            assertEquals(List.of("localhost/other:latest"), store.untag(imageId, "localhost/t:1").names());
            var removal = store.remove("other", false);
            assertEquals(List.of(imageId), removal.deleted());
            assertTrue(store.list().isEmpty());
        }
        assertEquals("", fx.podman.ok("images", "-q").trim());
        assertEquals("[]", fx.podman.ok("images", "--format", "json").replaceAll("\\s", ""));
    }
}
