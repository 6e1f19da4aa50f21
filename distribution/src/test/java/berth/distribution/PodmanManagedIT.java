package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
     * The spec-shaping flags survive the shared database both ways: a container podman created with
     * them runs under berth as it runs under podman, and one berth created runs so under podman.
     */
    /** --no-hosts is libpod's UseImageHosts: neither engine mounts an /etc/hosts of its own for the other's container. */
    @Test
    void noHostsCrossesTheSharedDatabaseBothWays() {
        String rootfs = Berth.rootfs().toString();
        String probe = "grep -c ' /etc/hosts ' /proc/self/mountinfo; echo checked";
        for (String name : List.of("nhp", "nhb")) {
            List<String> create = List.of("create", "--name", name, "--network", "none", "--no-hosts", "--rootfs", rootfs, "/bin/sh", "-c", probe);
            if (name.equals("nhp")) {
                podman.run(create.toArray(String[]::new)).ok();
            } else {
                berth.run(create.toArray(String[]::new)).ok();
            }
            assertEquals("0\nchecked\n", berth.run("start", "-a", name).ok().out(), name + " under berth");
            assertEquals("0\nchecked\n", podman.run("start", "-a", name).ok().out(), name + " under podman");
        }
    }

    @Test
    void runFlagsCrossTheSharedDatabaseBothWays() {
        String rootfs = Berth.rootfs().toString();
        List<String> flags = List.of("--network", "slirp4netns", "--read-only", "--cap-add", "net_admin", "--cap-drop", "chown",
                "--sysctl", "net.ipv4.ip_unprivileged_port_start=80", "--group-add", "44", "--shm-size", "32m",
                "--add-host", "foo:10.1.2.3", "--dns", "9.9.9.9", "--dns-search", "example.com", "--init", "--uts", "host");
        String probe = "grep -E 'CapEff|CapBnd' /proc/self/status; touch /x 2>/dev/null || echo root-ro; "
                + "cat /proc/sys/net/ipv4/ip_unprivileged_port_start; id -G; df -k /dev/shm | tail -1 | awk '{print $2}'; "
                + "grep -w foo /etc/hosts; grep -E 'nameserver|search' /etc/resolv.conf; tr '\\0' ' ' < /proc/1/cmdline | cut -c1-20; hostname";
        List<String> create = new java.util.ArrayList<>(List.of("create", "--name", "NAME"));
        create.addAll(flags);
        create.addAll(List.of("--rootfs", rootfs, "/bin/sh", "-c", probe));

        podman.run(create.stream().map(a -> a.equals("NAME") ? "byp" : a).toArray(String[]::new)).ok();
        String podmanRun = podman.run("start", "-a", "byp").ok().out();
        assertTrue(podmanRun.contains("root-ro") && podmanRun.contains("nameserver 9.9.9.9"), podmanRun);
        assertEquals(podmanRun, berth.run("start", "-a", "byp").ok().out(), "berth runs podman's container as podman does");

        berth.run(create.stream().map(a -> a.equals("NAME") ? "byb" : a).toArray(String[]::new)).ok();
        String berthRun = berth.run("start", "-a", "byb").ok().out();
        assertEquals(podmanRun, berthRun, "berth's own container, as podman's");
        assertEquals(berthRun, podman.run("start", "-a", "byb").ok().out(), "podman runs berth's container as berth does");
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
