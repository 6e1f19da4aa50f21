package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process namespace against the real kernel (root): new, loopback up, removed without a trace. */
class NetNsTest {
    @TempDir
    Path runRoot;
    private Path made;

    @AfterEach
    void removeWhatIsLeft() {
        NetNs.remove(made);
    }

    private static long inode(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    @Test
    void aNewNamespaceWithItsLoopbackUpIsPinnedOnTheFile() throws Exception {
        made = NetNs.create(runRoot, "0123456789abcdef");
        assertEquals(runRoot.resolve("netns/berth-0123456789ab"), made);
        assertTrue(NetNs.isMounted(made), "bind-mounted on " + made);
        assertNotEquals(inode(Path.of("/proc/self/ns/net")), inode(made), "a namespace other than the host's");
        assertNotEquals(inode(Path.of("/proc/thread-self/ns/net")), inode(made), "the calling thread stays in the host's namespace");

        String lo = Sys.ok("nsenter", "--net=" + made, "ip", "-o", "link", "show", "lo");
        assertTrue(lo.contains("<LOOPBACK,UP,LOWER_UP>"), "lo is up: " + lo);
        String links = Sys.ok("nsenter", "--net=" + made, "ip", "-o", "link", "show");
        assertEquals(1, links.lines().filter(l -> !l.contains("@NONE")).count(), "nothing but lo (and fallback tunnels): " + links);
        String ping = Sys.ok("nsenter", "--net=" + made, Sys.BUSYBOX, "ping", "-c", "1", "-W", "2", "127.0.0.1");
        assertTrue(ping.contains("1 packets received"), ping);
    }

    @Test
    void removalLeavesNoMountAndNoFileAndMayBeRepeated() throws Exception {
        made = NetNs.create(runRoot, "fedcba9876543210");
        NetNs.remove(made);
        assertFalse(NetNs.isMounted(made), "unmounted");
        assertFalse(Files.exists(made), "file deleted");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(runRoot.toString()), "no mount under " + runRoot);
        NetNs.remove(made); // a second teardown finds nothing to do
        NetNs.remove(runRoot.resolve("netns/never-made"));
    }

    @Test
    void aFileLeftByACrashedInitIsMountedOnceAndReused() throws Exception {
        Path p = NetNs.pathFor(runRoot, "aaaaaaaaaaaaaaaa");
        Files.createDirectories(p.getParent());
        Files.createFile(p); // a crash between the file and the mount
        made = NetNs.create(runRoot, "aaaaaaaaaaaaaaaa");
        long first = inode(made);
        assertEquals(made, NetNs.create(runRoot, "aaaaaaaaaaaaaaaa"), "same path");
        assertEquals(first, inode(made), "the mounted namespace is kept, not replaced");
        long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(" " + made + " ")).count();
        assertEquals(1, mounts, "mounted once");
    }
}
