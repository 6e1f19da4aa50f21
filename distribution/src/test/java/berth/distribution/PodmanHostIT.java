package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth on a real podman host: podman 4.3.1 with its default paths for root (no --root, --runroot
 * or --tmpdir; its database is /var/lib/containers/storage/libpod/bolt_state.db), and berth pointed
 * at it the documented way, {@code --config share/podman-host.conf}. Each test removes what it made.
 */
class PodmanHostIT {
    @TempDir
    Path tmp;

    private PodmanCli podman;
    private String name;

    @BeforeEach
    void setUp() throws Exception {
        podman = PodmanCli.defaultPaths(tmp);
        name = "berth-host-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        podman.run("rm", "-f", "-t", "0", name);
    }

    @Test
    void berthListsAContainerPodmanCreatedAtItsDefaultPaths() {
        Path conf = Berth.HOME.resolve("share/podman-host.conf");
        assertTrue(Files.isRegularFile(conf), "the distribution ships " + conf);
        String id = podman.run("create", "--name", name, "--network", "none", "--rootfs", Berth.rootfs().toString(),
                "/bin/sleep", "600").ok().line();
        PodmanCli.Result ps = PodmanCli.berthOnPodmanHost("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.Status}}").ok();
        String mine = ps.out().lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("berth ps -a lacks podman's container " + id + ":\n" + ps));
        assertEquals(id + " " + name + " Created", mine);
        String inspected = PodmanCli.berthOnPodmanHost("inspect", "--format", "{{.Name}} {{.State.Status}}", name).ok().line();
        assertEquals(name + " created", inspected);

        // and manages it: start, exec, stop, rm, with podman seeing each step
        PodmanCli.berthOnPodmanHost("start", name).ok();
        assertEquals("running", podman.run("inspect", "--format", "{{.State.Status}}", name).ok().line());
        assertEquals("in-exec", PodmanCli.berthOnPodmanHost("exec", name, "echo", "in-exec").ok().line());
        PodmanCli.berthOnPodmanHost("stop", "-t", "0", name).ok();
        assertEquals("exited", podman.run("inspect", "--format", "{{.State.Status}}", name).ok().line());
        PodmanCli.berthOnPodmanHost("rm", name).ok();
        assertTrue(podman.run("ps", "-a", "--format", "{{.ID}}").ok().out().lines().noneMatch(l -> id.startsWith(l)),
                "podman no longer lists " + id);
        assertTrue(podman.run("container", "exists", "--external", id).exitCode() != 0, "no storage entry left for " + id);
    }

    @Test
    void berthAtPodmansHostUsesPodmansDirectories() {
        String podmans = podman.run("info", "--format", "{{.Store.GraphRoot}} {{.Store.RunRoot}} {{.Store.VolumePath}}").ok().line();
        String berths = PodmanCli.berthOnPodmanHost("info", "-f", "json").ok().out();
        String[] p = podmans.split(" ");
        for (String[] kv : new String[][] {{"root", p[0]}, {"runRoot", p[1]}, {"volumePath", p[2]}, {"tmpDir", "/run/libpod"},
                {"staticDir", p[0] + "/libpod"}}) {
            assertTrue(berths.contains("\"" + kv[0] + "\": \"" + kv[1] + "\""), kv[0] + " should be " + kv[1] + ":\n" + berths);
        }
    }
}
