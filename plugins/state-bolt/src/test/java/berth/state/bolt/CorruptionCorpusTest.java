package berth.state.bolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.bolt.db.BoltDb;
import berth.state.testkit.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage that {@link CorruptionFuzzTest} once found escaping, checked as plain JUnit regressions. */
class CorruptionCorpusTest {
    @TempDir
    Path tmp;
    final List<String> warnings = new ArrayList<>();

    private StateStore open(Path dir) {
        return new BoltStateStoreProvider().open(new StateStoreConfig(dir, Workload.dbConfig(dir), Map.of(), warnings::add));
    }

    private Path storeWith(int containers) {
        try (StateStore s = open(tmp)) {
            for (int i = 0; i < containers; i++) {
                s.addContainer(Workload.container("cc", 0, i, 1));
            }
        }
        return tmp.resolve(BoltStateStore.DB_FILE).toAbsolutePath();
    }

    /**
     * A flipped byte in a record made a value the model refuses (port 0): its INVALID_ARGUMENT
     * "container port 0 out of range" escaped from lookups and failed the whole listing, naming no file.
     */
    @Test
    void aRecordTheModelRefusesIsACorruptRecord() {
        Path f = storeWith(3);
        String id = Workload.id("cc", 0, 1);
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            db.update(tx -> {
                var cb = tx.bucket(BoltStateStore.CTR).bucket(id.getBytes(StandardCharsets.UTF_8));
                String config = new String(cb.get(BoltStateStore.BERTH_CONFIG), StandardCharsets.UTF_8);
                assertTrue(config.contains("\"containerPort\":80"), config);
                cb.put(BoltStateStore.BERTH_CONFIG, config.replace("\"containerPort\":80", "\"containerPort\":0"));
                return null;
            });
        }
        StateStore s = open(tmp);
        BerthException e = assertThrows(BerthException.class, () -> s.lookupContainer(Workload.name("cc", 0, 1)));
        assertEquals(ErrorCode.STATE_CORRUPT, e.code());
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("port 0"), e.getMessage());
        List<Container> all = s.allContainers(); // the others are listed, the damaged one is a warning
        assertEquals(2, all.size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains(id) && w.contains(f.toString())), warnings.toString());
    }

    /** A plain key where a top-level bucket belongs: opening failed with "key id-registry already exists in <root>". */
    @Test
    void aKeyWhereABucketBelongsNamesTheFile() {
        Path f = storeWith(1);
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            db.update(tx -> {
                tx.deleteBucket(BoltStateStore.ID_REGISTRY);
                tx.root().put(BoltStateStore.ID_REGISTRY, "not a bucket");
                return null;
            });
        }
        BerthException e = assertThrows(BerthException.class, () -> open(tmp));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("id-registry"), e.getMessage());
    }
}
