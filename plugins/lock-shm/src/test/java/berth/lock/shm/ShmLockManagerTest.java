package berth.lock.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.spi.lock.LockManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The segment on a private name: podman's layout, allocation, exclusion between threads and a dead holder. */
class ShmLockManagerTest {
    private final Path segment = Path.of("/dev/shm/berth-test-lock-" + ProcessHandle.current().pid());

    @AfterEach
    void removeSegment() throws Exception {
        Files.deleteIfExists(segment);
    }

    @Test
    void aNewSegmentHasPodmansSizeAndMagic() throws Exception {
        ShmLockManager.open(segment, 2048).close();
        assertEquals(82488, Files.size(segment), "podman's /dev/shm/libpod_lock for 2048 locks is 82488 bytes");
        byte[] head = Files.readAllBytes(segment);
        assertEquals(0xD1, head[0] & 0xff);
        assertEquals(0x87, head[1] & 0xff);
        assertEquals(64, (head[48] & 0xff) | (head[49] & 0xff) << 8, "num_bitmaps");
        assertEquals(2048, (head[52] & 0xff) | (head[53] & 0xff) << 8, "num_locks");
        assertEquals(2048, ShmLockManager.open(segment, 2040).capacity(), "rounded up to groups of 32, as podman does");
        assertTrue(assertMessage(() -> ShmLockManager.open(segment, 2000)).contains("holds 2048 locks"), "2000 locks are 2016");
    }

    @Test
    void allocationTakesTheLowestFreeNumber() {
        try (LockManager m = ShmLockManager.open(segment, 64)) {
            assertEquals(List.of(0, 1, 2), List.of(m.allocate(), m.allocate(), m.allocate()));
            m.free(1);
            assertFalse(m.isAllocated(1));
            assertEquals(1, m.allocate());
            assertTrue(m.allocate(40));
            assertFalse(m.allocate(40), "allocated already");
            for (int i = 3; i < 64; i++) {
                if (i != 40) {
                    assertEquals(i, m.allocate());
                }
            }
            assertEquals("all 64 locks", assertMessage(m::allocate).substring(0, 12));
        }
    }

    private static String assertMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no exception");
    }

    @Test
    void aHeldLockExcludesOtherThreadsUntilReleased() throws Exception {
        try (LockManager m = ShmLockManager.open(segment, 64)) {
            LockManager.Held held = m.lock(7);
            Optional<LockManager.Held> other = CompletableFuture.supplyAsync(() -> {
                Optional<LockManager.Held> h = m.tryLock(7);
                h.ifPresent(LockManager.Held::close);
                return h;
            }).get(10, TimeUnit.SECONDS);
            assertTrue(other.isEmpty(), "lock 7 is held");
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
                long t0 = System.nanoTime();
                try (LockManager.Held h = m.lock(7)) {
                    return System.nanoTime() - t0;
                }
            });
            Thread.sleep(500);
            assertFalse(waiter.isDone(), "the waiter waits");
            held.close();
            assertTrue(waiter.get(10, TimeUnit.SECONDS) >= 400_000_000L);
        }
    }

    @Test
    void aLockWhoseHolderDiedIsTakenAndMadeConsistent() throws Exception {
        ShmLockManager.open(segment, 64).close();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                segment.toString(), "64", "9").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("held", out, "the child took lock 9 and died holding it");
        try (LockManager m = ShmLockManager.open(segment, 64)) {
            int taken = CompletableFuture.supplyAsync(() -> {
                try (LockManager.Held h = m.tryLock(9).orElseThrow(() -> new AssertionError("lock 9 is still held"))) {
                    return h.number();
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(9, taken);
            try (LockManager.Held again = m.lock(9)) {
                assertEquals(9, again.number(), "consistent again: an ordinary lock");
            }
        }
    }
}
