package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {
    @Test
    void fieldsAreReadAroundTheOptionalOnesAndUnescaped() {
        MountInfo m = MountInfo.parse("36 25 0:31 /kube\\040pods /mnt/a\\011b\\134c rw,relatime shared:7 master:1 - cgroup cgroup rw,cpu,cpuacct")
                .orElseThrow();
        assertEquals("/kube pods", m.root());
        assertEquals("/mnt/a\tb\\c", m.mountPoint());
        assertEquals("cgroup", m.fsType());
        assertEquals(List.of("rw", "cpu", "cpuacct"), m.superOptions());
        assertTrue(MountInfo.parse("no separator here").isEmpty());
        assertTrue(MountInfo.parse("1 2 - cgroup2 cgroup2 rw").isEmpty());
        assertEquals("a\\9bc", MountInfo.unescape("a\\9bc")); // not an octal escape: kept as written
        assertEquals("end\\04", MountInfo.unescape("end\\04"));
    }

    @Test
    void theRootIsAMountPointAndAFileUnderItIsNot() throws Exception {
        assertTrue(MountInfo.isMountPoint(Path.of("/")));
        assertTrue(MountInfo.isMountPoint(Path.of("/proc")));
        assertFalse(MountInfo.isMountPoint(Path.of("/proc/self/..").resolve("nonexistent-x")));
        assertFalse(MountInfo.read().isEmpty());
    }
}
