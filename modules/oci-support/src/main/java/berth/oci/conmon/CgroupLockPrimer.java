package berth.oci.conmon;

import berth.kernel.trace.Trace;
import berth.support.MountInfo;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the kernel's cgroup migration lock ready while a runtime puts a container into its cgroups.
 *
 * <p>Every write to a {@code cgroup.procs} file takes {@code cgroup_threadgroup_rwsem} for writing.
 * That lock is a per-CPU rwsem: when no writer has held it for a while, the next writer first waits
 * a whole RCU grace period (rcu_sync_enter) so that readers move off their fast path. On this kind
 * of machine that is 13 to 25 ms, and the runtime's own move of the container's first process is
 * that first writer: {@code crun create} took ~25 ms, and ~8 ms when another writer had held the
 * lock just before. The lock stays on its slow path for one grace period after its last writer.
 *
 * <p>So while a container is being created, this writes the JVM's own PID into the cgroup it is
 * already in, every few milliseconds, on a thread of its own: a migration that moves nothing, but
 * takes the lock, so the grace period is waited for here (overlapping berth's own work) and the
 * runtime's write finds the lock ready. Readers (fork, exit) pay a little more on the slow path
 * meanwhile, as they would with cgroup's {@code favordynmods}. Without write access (rootless) it
 * does nothing. {@code BERTH_CGROUP_PRIMER=0} turns it off.
 */
final class CgroupLockPrimer {
    private static final long PERIOD_MILLIS = 3;
    /** How long a {@link #soon()} keeps the lock ready without a {@link #hold()}: a pull may come first. */
    private static final long SOON_MILLIS = 3000;
    private static final boolean ENABLED = !"0".equals(System.getenv("BERTH_CGROUP_PRIMER"));

    private static final Object LOCK = new Object();
    private static int holders;
    private static long soonUntil;
    private static boolean running;
    private static boolean failed;
    private static long writes;
    /** The file written, found once per JVM (a Docker API service creates many containers). */
    private static Optional<Path> target;

    private CgroupLockPrimer() {
    }

    /** A container is about to be created in this JVM: starts taking the lock now. */
    static void soon() {
        synchronized (LOCK) {
            soonUntil = System.nanoTime() + SOON_MILLIS * 1_000_000L;
            startLocked();
        }
    }

    /** Keeps the lock ready until the returned hold is closed (a runtime's create or exec). */
    static Hold hold() {
        synchronized (LOCK) {
            holders++;
            startLocked();
        }
        return new Hold();
    }

    /** Ends a {@link #hold()}; also ends an earlier {@link #soon()}, whose create has come. */
    static final class Hold implements AutoCloseable {
        private boolean closed;

        @Override
        public void close() {
            synchronized (LOCK) {
                if (!closed) {
                    closed = true;
                    holders--;
                    soonUntil = 0;
                }
            }
        }
    }

    /** The number of writes made so far in this JVM (for tests). */
    static long writes() {
        synchronized (LOCK) {
            return writes;
        }
    }

    /** Whether the priming thread runs now (for tests). */
    static boolean running() {
        synchronized (LOCK) {
            return running;
        }
    }

    private static void startLocked() {
        if (!ENABLED || running || failed) {
            return;
        }
        if (target == null) {
            target = ownProcsFile();
        }
        if (target.isEmpty()) {
            failed = true;
            return;
        }
        running = true;
        Path procs = target.get();
        Thread t = new Thread(() -> prime(procs), "berth-cgroup-primer");
        t.setDaemon(true);
        t.start();
    }

    private static boolean wanted() {
        synchronized (LOCK) {
            if (holders > 0 || System.nanoTime() < soonUntil) {
                return true;
            }
            running = false;
            return false;
        }
    }

    private static void prime(Path procs) {
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        try (FileOutputStream out = new FileOutputStream(procs.toFile())) {
            boolean first = true;
            while (wanted()) {
                out.write(pid);
                synchronized (LOCK) {
                    writes++;
                }
                if (first) {
                    Trace.mark("cgroup: migration lock ready");
                    first = false;
                }
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (IOException | RuntimeException e) {
            // no write access (rootless, a read-only cgroupfs): the runtime waits as it always did
            synchronized (LOCK) {
                failed = true;
                running = false;
            }
        } catch (InterruptedException e) {
            synchronized (LOCK) {
                running = false;
            }
        }
    }

    /**
     * The {@code cgroup.procs} of the cgroup this process is in, on a hierarchy mounted here: the
     * unified (v2) one first (no controller acts on a move), else the first v1 one found.
     */
    static Optional<Path> ownProcsFile() {
        try {
            List<String> cgroups = Files.readAllLines(Path.of("/proc/self/cgroup"));
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            Optional<Path> v2 = cgroups.stream().filter(l -> l.startsWith("0::")).findFirst()
                    .flatMap(l -> procsFile(mounts, "cgroup2", null, l.substring(3)));
            if (v2.isPresent()) {
                return v2;
            }
            for (String l : cgroups) {
                String[] f = l.split(":", 3);
                if (f.length == 3 && !f[0].equals("0") && !f[1].isEmpty()) {
                    Optional<Path> v1 = procsFile(mounts, "cgroup", f[1].split(","), f[2]);
                    if (v1.isPresent()) {
                        return v1;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to prime
        }
        return Optional.empty();
    }

    /** The file under the mount of that hierarchy whose root holds {@code path}; empty when none is mounted. */
    static Optional<Path> procsFile(List<String> mountinfo, String fsType, String[] controllers, String path) {
        for (MountInfo m : MountInfo.parseAll(mountinfo)) {
            if (!m.fsType().equals(fsType) || controllers != null && !m.superOptions().containsAll(List.of(controllers))) {
                continue;
            }
            String root = m.root();
            String rel = root.equals("/") ? path : path.startsWith(root + "/") || path.equals(root) ? path.substring(root.length()) : null;
            if (rel == null) {
                continue;
            }
            Path file = Path.of(m.mountPoint() + (rel.startsWith("/") ? rel : "/" + rel), "cgroup.procs");
            if (Files.isWritable(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
