package berth.bolt.db;

import berth.testsupport.GoBolt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by berth pass Go bbolt's tx.Check() and hold exactly what berth wrote; files written
 * by Go bbolt read back exactly in berth and stay valid after berth changes them.
 */
class GoInteropTest {
    @TempDir
    Path tmp;

    @Test
    void aNewFileIsByteForByteWhatBboltCreates() throws Exception {
        Path java = tmp.resolve("java.db");
        Path go = tmp.resolve("go.db");
        try (BoltDb db = BoltDb.open(java, BoltDb.Options.readWrite())) {
            assertEquals(1, db.txid());
        }
        GoBolt.Result r = GoBolt.boltcheck("init", go.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertArrayEquals(Files.readAllBytes(go), Files.readAllBytes(java));
    }

    @Test
    void libpodsBucketLayoutIsByteForByteWhatBboltWrites() throws Exception {
        Path java = tmp.resolve("java.db");
        Path go = tmp.resolve("go.db");
        try (BoltDb db = BoltDb.open(java, BoltDb.Options.readWrite())) {
            db.update(tx -> {
                for (String n : List.of("id-registry", "name-registry", "ns-registry", "ctr", "all-ctrs", "pod", "allPods",
                        "vol", "allVolumes", "exec", "runtime-config", "exit-code", "exit-code-time-stamp", "volume-ctrs")) {
                    tx.createBucketIfNotExists(n);
                }
                return null;
            });
        }
        GoBolt.Result r = GoBolt.boltcheck("podman", go.toString());
        assertEquals(0, r.exitCode(), r::toString);
        GoBolt.Result j = GoBolt.boltcheck("check", java.toString());
        assertEquals(0, j.exitCode(), j::toString);
        assertEquals(r.dump(), j.dump());
        assertArrayEquals(Files.readAllBytes(go), Files.readAllBytes(java), "same transaction, same bytes");
    }

    @Test
    void bboltAcceptsWhatBerthWrites() throws Exception {
        for (long seed = 11; seed <= 13; seed++) {
            Path f = tmp.resolve("berth-" + seed + ".db");
            Random r = new Random(seed);
            Model m = new Model();
            for (int segment = 0; segment < 3; segment++) {
                try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
                    for (int t = 0; t < 50; t++) {
                        Model next = m.copy();
                        db.update(tx -> {
                            Model.randomOps(r, tx, next, 1 + r.nextInt(25));
                            return null;
                        });
                        m = next;
                    }
                }
                // bbolt opens the file only once berth has closed it (flock)
                GoBolt.Result res = GoBolt.boltcheck("check", f.toString());
                assertEquals(List.of(), res.errors(), "seed " + seed + " segment " + segment);
                assertEquals(0, res.exitCode(), res::toString);
                assertEquals(m.dump(), res.dump(), "seed " + seed + " segment " + segment);
                if (segment == 2) {
                    // The file exercised every kind of page.
                    assertTrue(res.stat("branch") > 0, res::toString);
                    assertTrue(res.stat("overflow") > 0, res::toString);
                    assertTrue(res.stat("inline") > 0, res::toString);
                    assertTrue(res.stat("depth") >= 3, res::toString);
                }
            }
        }
    }

    @Test
    void berthAndBboltExcludeEachOtherWithFlock() throws Exception {
        Path f = tmp.resolve("lock.db");
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            db.update(tx -> tx.createBucket("b"));
            assertEquals(List.of("LOCKED"), GoBolt.boltcheck("trylock", f.toString(), "ro").stdout(), "berth's writer excludes a bbolt reader");
            assertEquals(List.of("LOCKED"), GoBolt.boltcheck("trylock", f.toString(), "rw").stdout(), "and a bbolt writer");
        }
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly())) {
            assertEquals(List.of("OPENED"), GoBolt.boltcheck("trylock", f.toString(), "ro").stdout(), "readers share");
            assertEquals(List.of("LOCKED"), GoBolt.boltcheck("trylock", f.toString(), "rw").stdout(), "berth's reader excludes a bbolt writer");
        }
        assertEquals(List.of("OPENED"), GoBolt.boltcheck("trylock", f.toString(), "rw").stdout());

        // bbolt holding the file: berth waits for it, and times out with a clear error
        Process hold = new ProcessBuilder(GoBolt.boltcheck().toString(), "hold", f.toString(), "rw", "30")
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(hold.getInputStream()));
            assertEquals("HELD", in.readLine());
            long t0 = System.nanoTime();
            berth.kernel.error.BerthException e = org.junit.jupiter.api.Assertions.assertThrows(berth.kernel.error.BerthException.class,
                    () -> BoltDb.open(f, BoltDb.Options.readOnly().lockTimeout(java.time.Duration.ofMillis(700))));
            assertEquals(berth.kernel.error.ErrorCode.TIMEOUT, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            assertTrue(System.nanoTime() - t0 >= 600_000_000L, "it waited");
        } finally {
            hold.destroy();
            hold.waitFor();
        }
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly().lockTimeout(java.time.Duration.ofSeconds(10)))) {
            boolean present = db.view(tx -> tx.bucket("b") != null);
            assertTrue(present);
        }
    }

    @Test
    void berthReadsAndExtendsWhatBboltWrites() throws Exception {
        for (long seed = 21; seed <= 23; seed++) {
            Path f = tmp.resolve("go-" + seed + ".db");
            GoBolt.Result w = GoBolt.boltcheck("write", f.toString(), Long.toString(seed), "150");
            assertEquals(0, w.exitCode(), w::toString);
            assertTrue(w.stat("branch") > 0 && w.stat("overflow") > 0 && w.stat("inline") > 0, w::toString);
            Model m;
            try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly())) {
                assertEquals(w.dump(), db.view(Model::dump), "seed " + seed);
                assertEquals(List.of(), db.check());
                m = db.view(GoInteropTest::toModel);
            }
            Random r = new Random(seed);
            try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
                for (int t = 0; t < 60; t++) {
                    Model next = m.copy();
                    db.update(tx -> {
                        Model.randomOps(r, tx, next, 1 + r.nextInt(25));
                        return null;
                    });
                    m = next;
                }
            }
            GoBolt.Result res = GoBolt.boltcheck("check", f.toString());
            assertEquals(0, res.exitCode(), res::toString);
            assertEquals(m.dump(), res.dump(), "seed " + seed);
        }
    }

    @Test
    void aFileWithoutAFreelistIsReadAndGetsOne() throws Exception {
        Path f = tmp.resolve("nofreelist.db");
        GoBolt.Result w = GoBolt.boltcheck("writenf", f.toString(), "31", "80");
        assertEquals(0, w.exitCode(), w::toString);
        byte[] bytes = Files.readAllBytes(f);
        int newest = Bytes.i64(bytes, 4096 + 16 + 48) > Bytes.i64(bytes, 16 + 48) ? 1 : 0;
        assertEquals(PageFormat.NO_FREELIST, Bytes.i64(bytes, newest * 4096 + 16 + 32), "bbolt wrote no freelist");
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly())) {
            assertEquals(w.dump(), db.view(Model::dump));
        }
        Model m;
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            // as bbolt does, a writable open rebuilds the freelist from the reachable pages and writes it
            assertTrue(db.meta().freelist != PageFormat.NO_FREELIST);
            assertEquals(List.of(), db.check());
            m = db.view(GoInteropTest::toModel);
            Random r = new Random(31);
            for (int t = 0; t < 30; t++) {
                Model next = m.copy();
                db.update(tx -> {
                    Model.randomOps(r, tx, next, 10);
                    return null;
                });
                m = next;
            }
            assertEquals(List.of(), db.check());
        }
        GoBolt.Result res = GoBolt.boltcheck("check", f.toString());
        assertEquals(0, res.exitCode(), res::toString);
        assertEquals(m.dump(), res.dump());
    }

    static Model toModel(Tx tx) {
        Model m = new Model();
        tx.forEachBucket((name, b) -> m.entries.put(name, toModel(b)));
        return m;
    }

    private static Model toModel(Bucket b) {
        Model m = new Model();
        List<Object[]> items = new java.util.ArrayList<>();
        b.forEach((k, v) -> items.add(new Object[] {k, v}));
        for (Object[] kv : items) {
            byte[] k = (byte[]) kv[0];
            m.entries.put(k, kv[1] == null ? toModel(b.bucket(k)) : kv[1]);
        }
        return m;
    }
}
