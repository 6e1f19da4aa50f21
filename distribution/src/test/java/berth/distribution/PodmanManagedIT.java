package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman's containers managed by berth: podman 4.3.1 creates and runs a container; berth (one bolt
 * database, podman's SHM locks, the runtimes' own state roots as podman uses them) reads its logs,
 * inspects, stops, starts, execs into (once berth started it), kills and restarts it, and podman can still stop, start and
 * remove it afterwards.
 */
class PodmanManagedIT {
    @TempDir
    Path tmp;

    private Berth berth;
    private PodmanCli podman;

    @BeforeEach
    void setUp() throws Exception {
        Path conf = tmp.resolve("berth.conf");
        Files.writeString(conf, "[engine]\nlock_type = \"shm\"\nruntime_root = \"/run\"\n");
        berth = new Berth(tmp).global("--tmpdir", tmp.resolve("tmp").toString(), "--db-backend", "boltdb", "--runtime", "crun",
                "--config", conf.toString());
        podman = PodmanCli.tempRoots(tmp, berth.runRoot(), true);
    }

    @AfterEach
    void tearDown() {
        podman.run("rm", "-a", "-f", "-t", "0");
        berth.cleanUp();
    }

    private String podmanStatus(String name) {
        return podman.run("ps", "-a", "--filter", "name=^" + name + "$", "--format", "{{.Status}}").ok().line();
    }

    private String berthStatus(String name) {
        return berth.run("inspect", "--format", "{{.State.Status}}", name).ok().line();
    }

    @Test
    void berthManagesAContainerPodmanRunsAndPodmanKeepsUsingIt() {
        String rootfs = Berth.rootfs().toString();
        podman.run("run", "-d", "--name", "pc", "--network", "none", "--rootfs", rootfs, "/bin/sh", "-c",
                "echo hello-from-podman; exec sleep 600").ok();
        assertEquals("running", berthStatus("pc"));
        assertTrue(berth.run("logs", "pc").ok().out().contains("hello-from-podman"));

        berth.run("stop", "-t", "1", "pc").ok();
        assertEquals("exited", berthStatus("pc"));
        assertTrue(podmanStatus("pc").startsWith("Exited"), podmanStatus("pc"));

        berth.run("start", "pc").ok();
        assertEquals("running", berthStatus("pc"));
        assertTrue(podmanStatus("pc").startsWith("Up"), podmanStatus("pc"));
        // exec reads the bundle berth wrote when it started the container (not podman's bundle)
        assertEquals("in-exec", berth.run("exec", "pc", "echo", "in-exec").ok().line());
        berth.run("kill", "pc").ok();
        berth.run("wait", "pc").ok();
        assertTrue(podmanStatus("pc").startsWith("Exited"), podmanStatus("pc"));
        berth.run("restart", "-t", "1", "pc").ok();
        assertTrue(podmanStatus("pc").startsWith("Up"), podmanStatus("pc"));

        // podman still manages it
        podman.run("stop", "-t", "1", "pc").ok();
        assertEquals("exited", berthStatus("pc"));
        podman.run("start", "pc").ok();
        assertTrue(podmanStatus("pc").startsWith("Up"), podmanStatus("pc"));
        assertEquals("running", berthStatus("pc"));
        podman.run("rm", "-f", "-t", "0", "pc").ok();
        assertEquals("", berth.run("ps", "-a", "-q").ok().line());
    }

    /**
     * The rest of the list, with both engines on one vfs store: berth execs into a container
     * podman started (its bundle is podman's) and removes it with its storage entry and podman's shm
     * mount; podman inspects, starts, execs into and removes a --rootfs container berth created (berth
     * registered its storage as podman does).
     */
    @Test
    void berthExecsIntoAndRemovesPodmansContainerAndPodmanUsesBerthsRootfsContainer() throws Exception {
        berth.global("--storage-driver", "vfs");
        String rootfs = Berth.rootfs().toString();
        podman.run("run", "-d", "--name", "pc", "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600").ok();
        assertEquals("in-exec", berth.run("exec", "pc", "echo", "in-exec").ok().line());
        berth.run("rm", "-f", "-t", "0", "pc").ok();
        assertEquals("", podman.run("ps", "-a", "-q").ok().line());
        Path storage = tmp.resolve("root/vfs-containers/containers.json");
        assertEquals("[]", Files.readString(storage).strip(), "podman's storage entry went with the container");
        assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().noneMatch(l -> l.contains(tmp.toString())),
                "no mount left under " + tmp);

        berth.run("create", "--name", "bc", "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600").ok();
        assertTrue(Files.readString(storage).contains("\"bc\""), Files.readString(storage));
        assertEquals("created", podman.run("inspect", "--format", "{{.State.Status}}", "bc").ok().line());
        podman.run("start", "bc").ok();
        assertEquals("podman-exec", podman.run("exec", "bc", "echo", "podman-exec").ok().line());
        assertEquals("running", berthStatus("bc"));
        podman.run("rm", "-f", "-t", "0", "bc").ok();
        assertEquals("", berth.run("ps", "-a", "-q").ok().line());
        assertEquals("[]", Files.readString(storage).strip());
    }
}
