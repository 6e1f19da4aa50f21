package berth.oci.conmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupLockPrimerTest {
    @Test
    void theHierarchyIsFoundFromMountinfo() {
        List<String> mounts = List.of(
                "25 24 0:22 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw,mode=755",
                "33 25 0:28 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
                "34 25 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "35 25 0:30 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                "36 25 0:31 /kubepods /mnt/inner rw,relatime - cgroup2 cgroup2 rw");
        // a hierarchy mounted elsewhere, or with other controllers, is not taken for this one; only
        // files that exist and are writable are returned, so /sys/fs/cgroup paths here give none
        assertEquals(java.util.Optional.empty(), CgroupLockPrimer.procsFile(mounts, "cgroup", new String[] {"memory"}, "/"));
        assertEquals(java.util.Optional.empty(), CgroupLockPrimer.procsFile(mounts, "cgroup2", null, "/elsewhere/x"));
    }

    @Test
    void itsOwnCgroupIsFoundAndPrimingLeavesTheJvmWhereItWas() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("this test writes a cgroup.procs file: run the suite as root (CI does)");
        }
        Path procs = CgroupLockPrimer.ownProcsFile().orElseThrow(() -> new AssertionError("no writable cgroup.procs of our own"));
        String pid = Long.toString(ProcessHandle.current().pid());
        assertTrue(Files.readAllLines(procs).contains(pid), procs + " does not list this JVM");
        List<String> before = Files.readAllLines(Path.of("/proc/self/cgroup"));
        long writes = CgroupLockPrimer.writes();
        try (CgroupLockPrimer.Hold held = CgroupLockPrimer.hold()) {
            long deadline = System.currentTimeMillis() + 5000;
            while (CgroupLockPrimer.writes() < writes + 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(CgroupLockPrimer.writes() >= writes + 3, "the primer made no writes to " + procs);
        }
        long deadline = System.currentTimeMillis() + 2000;
        while (CgroupLockPrimer.running() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(CgroupLockPrimer.running(), "the primer went on after its hold was closed");
        assertEquals(before, Files.readAllLines(Path.of("/proc/self/cgroup")), "priming moved the JVM");
    }
}
