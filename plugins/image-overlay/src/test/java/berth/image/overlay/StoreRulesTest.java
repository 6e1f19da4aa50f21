package berth.image.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ImageRemoval;
import berth.kernel.model.PullOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookup, naming, removal and pruning rules, on a store with real images. */
class StoreRulesTest {
    @TempDir
    Path dir;
    StoreFixture fx;
    OverlayImageStore store;
    ImageInfo a;
    ImageInfo b;

    @BeforeEach
    void setUp() throws Exception {
        TestImages.requireTools();
        fx = new StoreFixture(dir.resolve("s"));
        store = fx.open();
        a = store.load(TestImages.dockerArchive(dir, "docker.io/library/alpha:latest", "a"), PullOptions.DEFAULT).get(0);
        b = store.load(TestImages.dockerArchive(dir, "quay.io/team/beta:2", "b"), PullOptions.DEFAULT).get(0);
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
            fx.podman.cleanup();
        }
    }

    @Test
    void shortNamesDigestsAndIdPrefixesFindImagesAsPodmanDoes() {
        assertEquals(a.id(), store.find("alpha").orElseThrow().id(), "docker.io/library/alpha:latest");
        assertEquals(a.id(), store.find("alpha:latest").orElseThrow().id());
        assertEquals(a.id(), store.find("docker.io/alpha").orElseThrow().id());
        assertEquals(a.id(), store.find("library/alpha").orElseThrow().id());
        assertEquals(b.id(), store.find("team/beta:2").orElseThrow().id(), "any registry");
        assertEquals(b.id(), store.find("quay.io/team/beta:2").orElseThrow().id());
        assertTrue(store.find("team/beta").isEmpty(), "beta:latest does not exist");
        assertTrue(store.find("docker.io/team/beta:2").isEmpty(), "another registry is another image");
        assertEquals(b.id(), store.find("quay.io/team/beta@" + b.digest()).orElseThrow().id());
        assertEquals(a.id(), store.find("sha256:" + a.id()).orElseThrow().id());
        assertEquals(a.id(), store.find(a.id().substring(0, 12)).orElseThrow().id());
        assertTrue(store.find("nope").isEmpty());
        assertTrue(b.created().isAfter(a.created()), "beta was built after alpha");
        assertEquals(List.of(b.id(), a.id()), store.list().stream().map(ImageInfo::id).toList(), "newest first");
    }

    @Test
    void aNameMovesToTheImageTaggedWithIt() {
        store.tag("alpha", "shared:1");
        ImageInfo moved = store.tag("team/beta:2", "localhost/shared:1");
        assertEquals(List.of("quay.io/team/beta:2", "localhost/shared:1"), moved.names());
        assertEquals(List.of("docker.io/library/alpha:latest"), store.find(a.id()).orElseThrow().names());
        BerthException bad = assertThrows(BerthException.class, () -> store.tag("alpha", "Upper:1"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, bad.code());
        BerthException missing = assertThrows(BerthException.class, () -> store.tag("nope", "x"));
        assertEquals(ErrorCode.IMAGE_NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains("nope"));
    }

    @Test
    void removalByNameUntagsByIdNeedsForceAndLayersGoWithTheLastImage() throws Exception {
        store.tag("alpha", "second");
        ImageRemoval byName = store.remove("second", false);
        assertEquals(List.of("localhost/second:latest"), byName.untagged());
        assertEquals(List.of(), byName.deleted());
        store.tag("alpha", "second");
        BerthException byId = assertThrows(BerthException.class, () -> store.remove(a.id(), false));
        assertTrue(byId.getMessage().contains("by ID with more than one tag"), byId.getMessage());
        ImageRemoval forced = store.remove(a.id(), true);
        assertEquals(List.of(a.id()), forced.deleted());
        assertEquals(2, forced.untagged().size());
        assertTrue(Files.notExists(fx.root.resolve("overlay").resolve(a.topLayer())), "its layer is gone");
        assertTrue(Files.notExists(fx.root.resolve("overlay-images").resolve(a.id())), "its big data is gone");
        assertEquals(1, RecordFile.read(fx.root.resolve("overlay-layers/layers.json")).size());
    }

    @Test
    void inUseImagesAreRefusedAndKeptByPrune() {
        String cid = Ids.random();
        store.createContainer(cid, "user", a.id());
        BerthException inUse = assertThrows(BerthException.class, () -> store.remove("alpha", false));
        assertEquals(ErrorCode.IMAGE_IN_USE, inUse.code());
        assertTrue(inUse.getMessage().contains(cid));
        store.untag("team/beta:2", null);
        List<ImageRemoval> pruned = store.prune(false);
        assertEquals(List.of(List.of(b.id())), pruned.stream().map(ImageRemoval::deleted).toList(), "the dangling one");
        assertEquals(List.of(), store.prune(true), "alpha is used");
        store.removeContainer(cid);
        assertEquals(1, store.prune(true).size());
        assertTrue(store.list().isEmpty());
        assertEquals(List.<JsonObject>of(), RecordFile.read(fx.root.resolve("overlay-layers/layers.json")));
    }

    @Test
    void bigDataFileNamesAreContainersStorages() {
        assertEquals("manifest", BigData.fileName("manifest"));
        // names podman 4.3.1 wrote (src/test/resources/podman-4.3.1/tree.txt)
        assertEquals("=c2hhMjU2OjM2NTRlNDc2MmMxNGJjZTlmNWQ0N2Q4NmZkYWUzOGZmOWY5NWQ1MWEzYzRkOTYwYmE2NTk5NzEzNGE2MDQyNTA=",
                BigData.fileName("sha256:3654e4762c14bce9f5d47d86fdae38ff9f95d51a3c4d960ba65997134a604250"));
        assertEquals("=bWFuaWZlc3Qtc2hhMjU2Ojc3NWNkNTFjMDEyNDIxMWI2MzAxMDU2Mzc3YTdlYTZjM2QwYjM4NzRhZDExNGNjNTNmNjY4OGFhYjQ0ODZhNjk=",
                BigData.fileName("manifest-sha256:775cd51c0124211b6301056377a7ea6c3d0b3874ad114cc53f6688aab4486a69"));
        assertTrue(ShortLinks.generate().matches("[A-Z2-7]{26}"));
    }
}
