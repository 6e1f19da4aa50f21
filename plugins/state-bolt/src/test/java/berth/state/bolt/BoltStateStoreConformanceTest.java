package berth.state.bolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.bolt.db.BoltDb;
import berth.state.testkit.ConcurrencyProfile;
import berth.state.testkit.CrashProfile;
import berth.state.testkit.StateStoreConformanceSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The state-store contract, checked by the shared conformance suite, plus the boltdb specifics it leaves to backends. */
class BoltStateStoreConformanceTest extends StateStoreConformanceSuite {
    @Override
    protected String providerId() {
        return "boltdb";
    }

    @Override
    protected Path databaseFile(Path staticDir) {
        return staticDir.resolve("bolt_state.db");
    }

    @Override
    protected ConcurrencyProfile concurrencyProfile() {
        // Writers take turns on bbolt's exclusive flock; every write is two fsyncs.
        return new ConcurrencyProfile(4, 60, 2, true, 10, 240);
    }

    @Override
    protected CrashProfile crashProfile() {
        return new CrashProfile(4, 30, 2);
    }

    @Test
    public void corruptRecordIsReported() throws Exception {
        assertCorruptRecordIsReported((dir, id) -> {
            Path db = databaseFile(dir);
            try (BoltDb bolt = BoltDb.open(db, BoltDb.Options.readWrite())) {
                bolt.update(tx -> {
                    tx.bucket("ctr").bucket(id).put("berth-config", "{\"id\": \"truncated".getBytes(StandardCharsets.UTF_8));
                    return null;
                });
            }
            return db.toAbsolutePath().toString();
        });
    }

    @Test
    public void findingTheProviderLoadsNeitherJnaNorTheDatabaseCode() throws Exception {
        List<String> classes = classesLoadedByProviderProbe();
        assertTrue(classes.contains("berth.state.bolt.BoltStateStoreProvider"), "the probe loaded the provider");
        List<String> heavy = classes.stream()
                .filter(c -> c.startsWith("com.sun.jna") || c.startsWith("berth.bolt.db") || c.startsWith("berth.bolt.nativeio")
                        || c.equals("berth.state.bolt.BoltStateStore"))
                .collect(Collectors.toList());
        assertEquals(List.of(), heavy, "classes loaded just to find the provider");
    }
}
