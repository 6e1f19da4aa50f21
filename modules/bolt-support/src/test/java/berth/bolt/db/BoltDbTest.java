package berth.bolt.db;


import static berth.bolt.db.Model.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoltDbTest {
    @TempDir
    Path tmp;

    @Test
    void newFileHasBboltsInitialLayout() throws Exception {
        Path f = tmp.resolve("new.db");
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            assertEquals(4096, db.pageSize());
            assertEquals(1, db.txid());
            assertEquals(List.of(), db.check());
        }
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(4 * 4096, bytes.length);
        assertEquals(0xED0CDAED, (int) Bytes.u32(bytes, 16));
        assertEquals(2, (int) Bytes.u32(bytes, 20));
    }

    @Test
    void randomTransactionsMatchTheModel() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            Path f = tmp.resolve("model-" + seed + ".db");
            Random r = new Random(seed);
            Model m = new Model();
            BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite());
            try {
                for (int t = 0; t < 120; t++) {
                    Model next = m.copy();
                    boolean rollback = r.nextInt(10) == 0;
                    try (Tx tx = db.begin(true)) {
                        Model.randomOps(r, tx, next, 1 + r.nextInt(25));
                        assertEquals(next.dump(), Model.dump(tx), "seed " + seed + " tx " + t + " before commit");
                        if (!rollback) {
                            tx.commit();
                            m = next;
                        }
                    }
                    Model expected = m;
                    assertEquals(expected.dump(), db.view(Model::dump), "seed " + seed + " tx " + t);
                    if (t % 10 == 0) {
                        assertEquals(List.of(), db.check(), "seed " + seed + " tx " + t);
                    }
                    if (t % 25 == 24) {
                        db.close();
                        db = BoltDb.open(f, BoltDb.Options.readWrite());
                        assertEquals(expected.dump(), db.view(Model::dump), "seed " + seed + " after reopen at tx " + t);
                    }
                }
                assertEquals(List.of(), db.check());
            } finally {
                db.close();
            }
        }
    }

    @Test
    void everythingDeletedShrinksBackToOneLeaf() throws Exception {
        Path f = tmp.resolve("shrink.db");
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            db.update(tx -> {
                Bucket bk = tx.createBucket("b");
                for (int i = 0; i < 5000; i++) {
                    bk.put(b(String.format("k%06d", i)), new byte[100]);
                }
                return null;
            });
            assertEquals(List.of(), db.check());
            for (int round = 0; round < 5; round++) {
                int from = round * 1000;
                db.update(tx -> {
                    Bucket bk = tx.bucket("b");
                    for (int i = from; i < from + 1000; i++) {
                        bk.delete(b(String.format("k%06d", i)));
                    }
                    return null;
                });
                assertEquals(List.of(), db.check(), "round " + round);
            }
            db.view(tx -> {
                Bucket bk = tx.bucket("b");
                assertNull(bk.cursor().first());
                assertTrue(bk.rootNode != null || bk.root != 0);
                return null;
            });
            // A bucket that became small again is stored inline.
            db.update(tx -> {
                tx.bucket("b").put("x", "y");
                return null;
            });
            db.view(tx -> {
                assertEquals(0, tx.bucket("b").root, "inline again");
                assertArrayEquals(b("y"), tx.bucket("b").get("x"));
                return null;
            });
            assertEquals(List.of(), db.check());
        }
    }

    @Test
    void readersKeepTheirSnapshotWhileTheWriterCommits() throws Exception {
        Path f = tmp.resolve("mvcc.db");
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            db.update(tx -> {
                Bucket bk = tx.createBucket("b");
                for (int i = 0; i < 2000; i++) {
                    bk.put(b("k" + i), b("v0-" + i));
                }
                return null;
            });
            Tx reader = db.begin(false);
            List<String> before = Model.dump(reader);
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Throwable> err = new AtomicReference<>();
            Thread w = new Thread(() -> {
                try {
                    for (int round = 1; round <= 20; round++) {
                        int rr = round;
                        db.update(tx -> {
                            Bucket bk = tx.bucket("b");
                            for (int i = 0; i < 2000; i += 3) {
                                bk.put(b("k" + i), b("v" + rr + "-" + i + "-" + "x".repeat(rr * 5)));
                            }
                            for (int i = 1; i < 2000; i += 7) {
                                bk.delete(b("k" + i));
                            }
                            return null;
                        });
                    }
                } catch (Throwable t) {
                    err.set(t);
                } finally {
                    done.countDown();
                }
            });
            w.start();
            List<List<String>> seen = new ArrayList<>();
            while (done.getCount() > 0) {
                seen.add(Model.dump(reader));
            }
            seen.add(Model.dump(reader));
            w.join();
            if (err.get() != null) {
                throw new AssertionError(err.get());
            }
            for (List<String> s : seen) {
                assertEquals(before, s, "a reader's snapshot never changes");
            }
            reader.close();
            assertEquals(List.of(), db.check());
        }
    }
}
