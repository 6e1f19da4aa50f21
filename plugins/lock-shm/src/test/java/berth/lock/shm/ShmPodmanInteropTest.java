package berth.lock.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.kernel.spi.lock.LockManager;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth and podman 4.3.1 on podman's own segment, /dev/shm/libpod_lock: a number berth allocates
 * is not handed to podman's next container, podman's container lock is the mutex berth takes (a
 * podman command on the container waits while berth holds it), and podman frees what it allocated.
 * podman runs at a temporary root; the segment is the system's (podman has one for root).
 */
class ShmPodmanInteropTest {
    private Path tmp;
    private final String name = "berth-shm-" + ProcessHandle.current().pid();

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            fail("this test needs podman 4.3.1: apt-get install -y podman");
        }
        tmp = Files.createTempDirectory("berth-shm-podman");
        Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), tmp.resolve("rootfs/bin/busybox"));
        Files.createSymbolicLink(tmp.resolve("rootfs/bin/sh"), Path.of("busybox"));
        Files.writeString(tmp.resolve("containers.conf"), "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");
        podman(30, "info").ok(); // makes the segment when this machine's podman never ran
    }

    @AfterEach
    void tearDown() throws Exception {
        podman(60, "rm", "-f", "-t", "0", name);
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Result(int code, String out) {
        Result ok() {
            assertEquals(0, code, out);
            return this;
        }
    }

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/podman", "--root", tmp.resolve("root").toString(), "--runroot",
                tmp.resolve("run").toString(), "--tmpdir", tmp.resolve("tmp").toString(), "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null"));
        pb.environment().put("CONTAINERS_CONF", tmp.resolve("containers.conf").toString());
        return pb.start();
    }

    private Result podman(int seconds, String... args) throws Exception {
        Process p = start(args);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes());
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("podman " + String.join(" ", args) + " did not finish in " + seconds + " s");
        }
        return new Result(p.exitValue(), out.get());
    }

    private static Set<Integer> allocated(LockManager m) {
        Set<Integer> out = new TreeSet<>();
        for (int i = 0; i < m.capacity(); i++) {
            if (m.isAllocated(i)) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void berthAndPodmanShareAllocationAndMutexes() throws Exception {
        try (LockManager m = new ShmLockManagerProvider().open(new berth.kernel.spi.lock.LockEnvironment(tmp, java.util.Map.of(), w -> { }))) {
            int mine = m.allocate();
            Set<Integer> before = allocated(m);
            podman(120, "create", "--name", name, "--network", "none", "--rootfs", tmp.resolve("rootfs").toString(), "/bin/sh").ok();
            Set<Integer> added = allocated(m);
            added.removeAll(before);
            assertFalse(added.contains(mine), "podman did not take berth's number " + mine);
            assertEquals(1, added.size(), "podman allocated one lock for its container (another podman ran meanwhile?): " + added);
            int podmans = added.iterator().next();

            // berth holds podman's container lock: podman inspect waits for it
            LockManager.Held held = m.lock(podmans);
            Process inspect = start("inspect", "--format", "{{.Name}}", name);
            assertFalse(inspect.waitFor(2, TimeUnit.SECONDS), "podman inspect waits while berth holds lock " + podmans);
            held.close();
            assertTrue(inspect.waitFor(60, TimeUnit.SECONDS), "podman inspect finishes once berth releases");
            assertEquals(0, inspect.exitValue());
            assertEquals(name, new String(inspect.getInputStream().readAllBytes()).strip());

            m.free(mine);
            podman(60, "rm", name).ok();
            assertFalse(m.isAllocated(podmans), "podman rm freed lock " + podmans + " in the bitmap berth reads");
        }
    }
}
