package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocksTest {
    @TempDir
    Path tmp;

    @Test
    void threadsOfOneJvmAreSerialised() throws Exception {
        Path file = tmp.resolve("locks/a.lock"); // the parent is created on demand
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                try {
                    start.await();
                    for (int k = 0; k < 50; k++) {
                        FileLocks.withLock(file, () -> {
                            int now = inside.incrementAndGet();
                            most.accumulateAndGet(now, Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ts[i].start();
        }
        start.countDown();
        for (Thread t : ts) {
            t.join(30_000);
        }
        assertEquals(1, most.get(), "two threads held the lock at once");
    }

    @Test
    void reentrantInOneThreadAndCloseIsIdempotent() {
        Path file = tmp.resolve("r.lock");
        try (FileLocks.Held outer = FileLocks.lock(file)) {
            String v = FileLocks.withLock(file.getParent().resolve("./r.lock"), () -> "nested");
            assertEquals("nested", v);
            FileLocks.Held inner = FileLocks.tryLock(file);
            assertNotNull(inner, "the holding thread may take it again");
            inner.close();
            inner.close();
        }
        // released: another thread gets it at once
        boolean[] got = new boolean[1];
        Thread t = new Thread(() -> {
            try (FileLocks.Held h = FileLocks.tryLock(file)) {
                got[0] = h != null;
            }
        });
        t.start();
        assertTrue(join(t));
        assertTrue(got[0], "released by the outer close");
    }

    @Test
    void tryLockFailsWhileAnotherThreadHolds() throws Exception {
        Path file = tmp.resolve("t.lock");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (FileLocks.Held h = FileLocks.lock(file)) {
                held.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        held.await();
        assertNull(FileLocks.tryLock(file));
        done.countDown();
        assertTrue(join(t));
        try (FileLocks.Held h = FileLocks.tryLock(file)) {
            assertNotNull(h);
        }
    }

    @Test
    void anotherProcessIsExcludedUntilItReleases() throws Exception {
        Path file = tmp.resolve("x.lock");
        Path marker = tmp.resolve("released");
        Process child = new ProcessBuilder(ChildJava.command(LockHolder.class, "hold", file.toString(), marker.toString(), "1500"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            assertNull(FileLocks.tryLock(file), "the child holds the lock");
            try (FileLocks.Held h = FileLocks.lock(file)) {
                assertTrue(Files.exists(marker), "got the lock before the child released it");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aChildProcessCannotTakeALockThisProcessHolds() throws Exception {
        Path file = tmp.resolve("y.lock");
        try (FileLocks.Held h = FileLocks.lock(file)) {
            assertEquals("busy", childTry(file));
        }
        assertEquals("free", childTry(file));
    }

    private static String childTry(Path file) throws Exception {
        Subprocess.Result r = Subprocess.of(ChildJava.command(LockHolder.class, "try", file.toString()))
                .timeoutMillis(60_000).check(berth.kernel.error.ErrorCode.INTERNAL);
        return r.stdout().strip();
    }

    @Test
    void deleteForgetsTheFileQuietly() {
        Path file = tmp.resolve("gone.lock");
        FileLocks.withLock(file, () -> { });
        assertTrue(Files.exists(file));
        FileLocks.delete(file);
        FileLocks.delete(file);
        assertTrue(!Files.exists(file));
    }

    private static boolean join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
