package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cp}'s path resolution: links, {@code ..} and absolute targets stay inside the container's root. */
class ContainerTreeTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    ContainerTree tree;

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(tmp.resolve("rootfs"));
        outside = Files.createDirectories(tmp.resolve("host-secret"));
        Files.writeString(outside.resolve("passwd"), "host's\n");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "container's\n");
        Files.createDirectories(root.resolve("data/sub"));
        tree = ContainerTree.of(root);
    }

    @Test
    void plainPathsMapUnderTheRoot() {
        ContainerTree.Resolved r = tree.resolve("/etc/passwd", true);
        assertEquals("/etc/passwd", r.containerPath());
        assertEquals(root.resolve("etc/passwd"), r.hostPath());
        assertEquals("/etc/passwd", tree.resolve("etc/passwd", true).containerPath(), "a relative path is relative to the root");
        assertEquals("/", tree.resolve("/", true).containerPath());
    }

    @Test
    void dotDotStopsAtTheRoot() {
        ContainerTree.Resolved r = tree.resolve("/../../../etc/passwd", true);
        assertEquals(root.resolve("etc/passwd"), r.hostPath());
        assertEquals("/data", tree.resolve("/data/sub/../.", true).containerPath());
        assertEquals("/", tree.resolve("../..", true).containerPath());
    }

    @Test
    void anAbsoluteLinkStartsAgainAtTheContainersRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("evil"), outside.resolve("passwd"));  // the host's absolute path
        Files.createSymbolicLink(root.resolve("pw"), Path.of("/etc/passwd"));
        ContainerTree.Resolved pw = tree.resolve("/pw", true);
        assertEquals("/etc/passwd", pw.containerPath());
        assertEquals("container's\n", Files.readString(pw.hostPath()));
        ContainerTree.Resolved evil = tree.resolve("/evil", true);
        assertTrue(evil.hostPath().startsWith(root), "stays in the root: " + evil.hostPath());
        assertFalse(evil.exists(), "the host's file is not reached");
    }

    @Test
    void aRelativeLinkClimbingOutStopsAtTheRoot() throws Exception {
        Files.createSymbolicLink(root.resolve("data/up"), Path.of("../../../../host-secret/passwd"));
        ContainerTree.Resolved r = tree.resolve("/data/up", true);
        assertEquals("/host-secret/passwd", r.containerPath());
        assertTrue(r.hostPath().startsWith(root));
        assertFalse(r.exists());
    }

    @Test
    void aDirectoryLinkInTheMiddleIsResolvedInside() throws Exception {
        Files.createSymbolicLink(root.resolve("data/etclink"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("hostetc"), outside);
        assertEquals("/etc/passwd", tree.resolve("/data/etclink/passwd", true).containerPath());
        ContainerTree.Resolved r = tree.resolve("/hostetc/passwd", true);
        assertTrue(r.hostPath().startsWith(root));
        assertFalse(r.exists());
        // ".." after a link applies to where the link led, as in the kernel
        assertEquals("/data", tree.resolve("/data/etclink/../data", true).containerPath());
    }

    @Test
    void theLastLinkIsKeptUnlessFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("pw"), Path.of("/etc/passwd"));
        assertEquals("/pw", tree.resolve("/pw", false).containerPath());
        assertEquals("/etc/passwd", tree.resolve("/pw", true).containerPath());
    }

    @Test
    void aLinkLoopIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
        BerthException e = assertThrows(BerthException.class, () -> tree.resolve("/a/x", true));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }

    @Test
    void mountsMapTheirDestinationToTheirSourceLongestFirst() throws Exception {
        Path vol = Files.createDirectories(tmp.resolve("vol"));
        Path inner = Files.createDirectories(tmp.resolve("inner"));
        ContainerTree t = new ContainerTree(root, List.of(new ContainerTree.Mount("/data", vol), new ContainerTree.Mount("/data/in", inner)));
        assertEquals(vol.resolve("x"), t.resolve("/data/x", true).hostPath());
        assertEquals(inner.resolve("y"), t.resolve("/data/in/y", true).hostPath());
        assertEquals(root.resolve("datax"), t.resolve("/datax", true).hostPath(), "a prefix of a name is no mount");
        // a link inside a volume that climbs out lands in the container's root, never beside the volume
        Files.createSymbolicLink(vol.resolve("up"), Path.of("../../etc/passwd"));
        assertEquals(root.resolve("etc/passwd"), t.resolve("/data/up", true).hostPath());
    }
}
