package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.PullListener;
import berth.kernel.model.PullOptions;
import berth.kernel.model.PushOptions;
import berth.testsupport.LocalRegistry;
import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull and push through a real registry (docker-registry on a free port). */
class RegistryPullPushTest {
    static final PullOptions INSECURE = new PullOptions(Boolean.FALSE, null, null, null, null, null, PullListener.NONE);

    @TempDir
    Path dir;
    LocalRegistry registry;
    StoreFixture fx;
    String image;

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireTools();
        Sys.requireTools(LocalRegistry.BINARY);
        registry = new LocalRegistry();
        fx = new StoreFixture(dir.resolve("store"));
        Path layout = TestImages.ociLayout(dir, "t", "from-registry");
        image = registry.host() + "/t:1";
        // gzip layers, as registries hold them
        Sys.ok(TestImages.SKOPEO, "copy", "--quiet", "--dest-tls-verify=false", "--dest-compress", "oci:" + layout + ":t", "docker://" + image);
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.podman.cleanup();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pulledImageRunsInPodmanAndASecondPullFetchesNothing() {
        List<String> fetched = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        PullListener l = new PullListener() {
            @Override
            public void blobDone(String digest, boolean skip) {
                (skip ? skipped : fetched).add(digest);
            }
        };
        try (OverlayImageStore store = fx.open()) {
            ImageInfo pulled = store.pull(image, INSECURE.withListener(l));
            assertEquals(List.of(image), pulled.names());
            assertEquals(1, fetched.size());
            fetched.clear();
            store.pull(image, INSECURE.withListener(l));
            assertEquals(List.of(), fetched, "the layer is in the store");
            assertEquals(1, skipped.size());
            var layer = RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).get(0);
            assertEquals(2L, layer.raw("compression"), "gzip");
            assertTrue(!layer.str("compressed-diff-digest").equals(layer.str("diff-digest")));
        }
        Sys.Result run = fx.podman.run("run", "--rm", "--net=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                image, "/bin/busybox", "cat", "/marker");
        assertEquals(0, run.rc(), run.out());
        assertTrue(run.out().contains("from-registry"));
    }

    @Test
    void twoStoresPullingTheSameImageAtOnceBothSucceedAndStoreItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit((Callable<String>) () -> {
                    try (OverlayImageStore store = fx.open()) {
                        return store.pull(image, INSECURE).id();
                    }
                }));
            }
            assertEquals(results.get(0).get(), results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, RecordFile.read(fx.root.resolve("overlay-images/images.json")).size());
        assertEquals(1, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
        assertEquals(1, Files.list(fx.root.resolve("overlay/l")).count());
        assertTrue(Files.list(fx.root.resolve("tmp/berth-pull")).findAny().isEmpty(), "no temp files left");
    }

    @Test
    void twoProcessesPullingTheSameImageAtOnceBothSucceedAndStoreItOnce() throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(ChildJvm.start(PullMain.class, java.util.Map.of(), fx.root.toString(), fx.runRoot.toString(), image));
        }
        List<String> ids = new ArrayList<>();
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            ids.add(out.strip().lines().reduce((x, y) -> y).orElse(""));
        }
        assertEquals(ids.get(0), ids.get(1));
        assertEquals(1, RecordFile.read(fx.root.resolve("overlay-images/images.json")).size());
        assertEquals(1, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
        assertTrue(fx.podman.ok("images", "--no-trunc", "-q").contains(ids.get(0)));
    }

    @Test
    void pushedImageIsPulledByPodman() throws Exception {
        try (OverlayImageStore store = fx.open()) {
            store.pull(image, INSECURE);
            String target = registry.host() + "/pushed:2";
            store.push(image, target, new PushOptions(Boolean.FALSE, null, null, "v2s2", PullListener.NONE));
            String inspect = Sys.ok(TestImages.SKOPEO, "inspect", "--tls-verify=false", "--raw", "docker://" + target);
            assertTrue(inspect.contains("application/vnd.docker.image.rootfs.diff.tar.gzip"), inspect);
        }
        StoreFixture other = new StoreFixture(dir.resolve("other"));
        try {
            other.podman.ok("pull", "-q", "--tls-verify=false", registry.host() + "/pushed:2");
            Sys.Result run = other.podman.run("run", "--rm", "--net=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                    registry.host() + "/pushed:2", "/bin/busybox", "cat", "/marker");
            assertEquals(0, run.rc(), run.out());
            assertTrue(run.out().contains("from-registry"));
        } finally {
            other.podman.cleanup();
        }
    }

    @Test
    void aShortNameResolvesThroughRegistriesConf() throws Exception {
        Path conf = dir.resolve("registries.conf");
        Files.writeString(conf, "unqualified-search-registries = [\"" + registry.host() + "\"]\n\n[[registry]]\nlocation = \""
                + registry.host() + "\"\ninsecure = true\n");
        var config = new berth.kernel.spi.image.ImageStoreConfig(fx.root, fx.runRoot, List.of(conf),
                java.util.Map.of("driver", "overlay"), fx.warnings::add);
        try (OverlayImageStore store = OverlayImageStore.open(config)) {
            ImageInfo pulled = store.pull("t:1", PullOptions.DEFAULT); // insecure through the configuration
            assertEquals(List.of(registry.host() + "/t:1"), pulled.names());
            assertEquals(pulled.id(), store.find("t:1").orElseThrow().id());
        }
    }

    @Test
    void missingImageAndDeadRegistryAreTheRightErrorsAndLeaveNothing() throws Exception {
        try (OverlayImageStore store = fx.open()) {
            BerthException missing = assertThrows(BerthException.class, () -> store.pull(registry.host() + "/nope:1", INSECURE));
            assertEquals(ErrorCode.IMAGE_NOT_FOUND, missing.code(), missing.getMessage());
            assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
            BerthException dead = assertThrows(BerthException.class, () -> store.pull("127.0.0.1:1/x:1", INSECURE));
            assertEquals(ErrorCode.IMAGE_TRANSPORT, dead.code(), dead.getMessage());
            assertTrue(store.list().isEmpty());
        }
        assertEquals(0, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
    }
}
