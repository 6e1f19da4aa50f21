package berth.bolt.db;

import berth.testsupport.GoBolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer stopped at any point leaves the last committed transaction: every write and fsync of a
 * commit is a crash point (and every write may be torn), and a writer JVM is killed with SIGKILL at
 * random moments. A damaged meta page falls back to the other one, as in bbolt.
 */
class CrashTest {
    @TempDir
    Path tmp;

    private static List<String> dump(Path f) {
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly())) {
            assertEquals(List.of(), db.check(), "consistency of " + f);
            return db.view(Model::dump);
        }
    }

    /** The model after {@code commits} transactions of the seeded random writer. */
    private static Model replay(long seed, int commits) {
        Random r = new Random(seed);
        Model m = new Model();
        for (int t = 0; t < commits; t++) {
            Model.randomOps(r, null, m, 1 + r.nextInt(25));
        }
        return m;
    }

    private static final class Crash extends IOException {
        private static final long serialVersionUID = 1L;

        Crash(String m) {
            super(m);
        }
    }

    /** Stops the writer at event {@code at} (a write or an fsync); a write there may be torn halfway. */
    private static final class Injector implements BoltDb.FaultInjector {
        final int at;
        final boolean tear;
        final AtomicInteger events = new AtomicInteger();
        final List<String> log = new ArrayList<>();
        boolean metaWritten;

        Injector(int at, boolean tear) {
            this.at = at;
            this.tear = tear;
        }

        @Override
        public int beforeWrite(String what, long offset, int length) throws IOException {
            int n = events.getAndIncrement();
            log.add(what + "@" + offset);
            if (n == at) {
                if (tear && length > 1) {
                    // a meta page is torn inside its fields (in the txid), any other write halfway
                    return what.equals("meta") ? PageFormat.HEADER + 44 : length / 2 + 7;
                }
                throw new Crash("crash before " + what + " write");
            }
            if (what.equals("meta")) {
                metaWritten = true;
            }
            return length;
        }

        @Override
        public void beforeSync(String what) throws IOException {
            int n = events.getAndIncrement();
            log.add("sync " + what);
            if (n == at) {
                throw new Crash("crash before " + what + " fsync");
            }
        }
    }

    @Test
    void aCommitStoppedAtAnyWriteOrFsyncLeavesTheOldOrTheNewState() throws Exception {
        long seed = 4242;
        int baseCommits = 60;
        Path base = tmp.resolve("base.db");
        Random r = new Random(seed);
        Model m = new Model();
        try (BoltDb db = BoltDb.open(base, BoltDb.Options.readWrite())) {
            for (int t = 0; t < baseCommits; t++) {
                db.update(tx -> {
                    Model.randomOps(r, tx, m, 1 + r.nextInt(25));
                    return null;
                });
            }
        }
        byte[] baseBytes = Files.readAllBytes(base);
        List<String> before = m.dump();
        long nextSeed = 99;
        Model after = m.copy();
        Model.randomOps(new Random(nextSeed), null, after, 400);
        List<String> afterDump = after.dump();

        // How many crash points does the commit have?
        Path f = tmp.resolve("f.db");
        Files.write(f, baseBytes);
        Injector counting = new Injector(Integer.MAX_VALUE, false);
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite().faults(counting))) {
            db.update(tx -> {
                Model.randomOps(new Random(nextSeed), tx, m.copy(), 400);
                return null;
            });
        }
        Model.assertSameDump(afterDump, dump(f), "uninterrupted commit");
        int events = counting.events.get();
        assertTrue(events >= 4, "writes and syncs of one commit: " + counting.log);

        int checkedWithGo = 0;
        for (int at = 0; at < events; at++) {
            for (boolean tear : new boolean[] {false, true}) {
                Files.write(f, baseBytes);
                Injector inj = new Injector(at, tear);
                BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite().faults(inj));
                try {
                    BerthException e = assertThrows(BerthException.class, () -> db.update(tx -> {
                        Model.randomOps(new Random(nextSeed), tx, m.copy(), 400);
                        return null;
                    }), "crash point " + at);
                    assertTrue(e.getCause() instanceof IOException, e.toString());
                } finally {
                    db.close();
                }
                String where = "crash at event " + at + " (" + inj.log.get(inj.log.size() - 1) + ", torn " + tear + ")";
                List<String> found = dump(f);
                Model.assertSameDump(inj.metaWritten ? afterDump : before, found, where);
                if (at % 4 == 0 && !tear) {
                    GoBolt.Result res = GoBolt.boltcheck("check", f.toString());
                    assertEquals(0, res.exitCode(), where + ": " + res);
                    Model.assertSameDump(found, res.dump(), where);
                    checkedWithGo++;
                }
                // and the database goes on from there
                try (BoltDb again = BoltDb.open(f, BoltDb.Options.readWrite())) {
                    again.update(tx -> tx.createBucketIfNotExists("after-crash"));
                    assertEquals(List.of(), again.check(), where);
                }
            }
        }
        assertTrue(checkedWithGo > 0);
    }

    @Test
    void aWriterKilledWithSigkillLeavesItsLastCommit() throws Exception {
        Random rnd = new Random();
        for (int round = 0; round < 4; round++) {
            long seed = 1000 + round;
            Path f = tmp.resolve("killed-" + round + ".db");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), CrashWriter.class.getName(), f.toString(), Long.toString(seed));
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine());
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                    }
                } catch (IOException ignored) {
                    // the pipe closes when the writer dies
                }
            });
            reader.start();
            // kill at a random moment after a few commits: waiting for them, not for a fixed time,
            // keeps the test meaningful on a loaded machine, where the writer may start slowly
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (committed(lines) < 4 && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(5);
            }
            Thread.sleep(rnd.nextInt(400));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            // every acknowledgement the writer printed must be read before the file is judged: a reader
            // still behind (a loaded machine) would make the file look ahead of its last commit
            reader.join(120_000);
            assertFalse(reader.isAlive(), "the writer's acknowledgements were all read");
            int acked;
            synchronized (lines) {
                acked = lines.isEmpty() ? 0 : Integer.parseInt(lines.get(lines.size() - 1).substring("COMMITTED ".length())) + 1;
            }
            assertTrue(acked > 3, "the writer committed something before it was killed: " + acked);
            List<String> found = dump(f);
            List<String> last = replay(seed, acked).dump();
            List<String> inFlight = replay(seed, acked + 1).dump();
            if (!found.equals(inFlight)) {
                Model.assertSameDump(last, found, "round " + round + ": the file holds neither commit " + acked + " nor " + (acked + 1));
            }
            GoBolt.Result res = GoBolt.boltcheck("check", f.toString());
            assertEquals(0, res.exitCode(), res::toString);
            Model.assertSameDump(found, res.dump(), "bbolt's view");
        }
    }

    private static int committed(List<String> lines) {
        synchronized (lines) {
            return lines.size();
        }
    }

    @Test
    void aDamagedMetaPageFallsBackToTheOtherOne() throws Exception {
        Path f = tmp.resolve("meta.db");
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            db.update(tx -> tx.createBucket("b"));
            db.update(tx -> {
                tx.bucket("b").put("k", "one");
                return null;
            });
            db.update(tx -> {
                tx.bucket("b").put("k", "two");
                return null;
            });
        }
        byte[] good = Files.readAllBytes(f);
        long t0 = Bytes.i64(good, 16 + 48);
        long t1 = Bytes.i64(good, 4096 + 16 + 48);
        int newest = t1 > t0 ? 1 : 0;
        for (int page = 0; page < 2; page++) {
            for (int offset : new int[] {16, 16 + 20, 16 + 48, 16 + 56}) { // magic, root, txid, checksum
                byte[] bad = good.clone();
                bad[page * 4096 + offset] ^= 0x40;
                Files.write(f, bad);
                String expect = page == newest ? "one" : "two";
                try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly())) {
                    String v = db.view(tx -> tx.bucket("b").getString("k"));
                    assertEquals(expect, v, "byte " + offset + " of meta page " + page + " flipped");
                    assertEquals(1, db.metaProblems().size());
                    assertEquals(List.of(), db.check());
                }
                // bbolt agrees
                GoBolt.Result res = GoBolt.boltcheck("check", f.toString());
                assertEquals(0, res.exitCode(), res::toString);
                assertTrue(res.dump().stream().anyMatch(l -> l.endsWith(" 6b " + java.util.HexFormat.of().formatHex(expect.getBytes()))), res::toString);
                // a writer goes on from the good meta and overwrites the bad one
                try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
                    db.update(tx -> {
                        tx.bucket("b").put("k", "three");
                        return null;
                    });
                }
                try (BoltDb db = BoltDb.open(f, BoltDb.Options.readOnly())) {
                    assertEquals("three", db.view(tx -> tx.bucket("b").getString("k")));
                    assertEquals(List.of(), db.check());
                }
            }
        }
        // both meta pages damaged: a clear error naming the file
        byte[] bad = good.clone();
        bad[16 + 56] ^= 1;
        bad[4096 + 16 + 56] ^= 1;
        Files.write(f, bad);
        BerthException e = assertThrows(BerthException.class, () -> BoltDb.open(f, BoltDb.Options.readOnly()));
        assertEquals(ErrorCode.STATE_CORRUPT, e.code());
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("no valid meta page"), e.getMessage());
    }
}
