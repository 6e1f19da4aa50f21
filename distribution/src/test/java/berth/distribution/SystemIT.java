package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code system prune} and {@code system reset}, as podman's. */
class SystemIT {
    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;

    @BeforeEach
    void setUp() throws Exception {
        // bridges of their own: another test's berth1 on the host may have another subnet
        Path conf = Files.writeString(tmp.resolve("containers.conf"),
                "[network]\nbridge_prefix = \"bs" + Long.toHexString(System.nanoTime() & 0xffffff) + "\"\n");
        berth = new Berth(tmp).global("--config", conf.toString());
        rootfs = Berth.rootfs().toString();
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    private String subnet() {
        return "10.94." + (ProcessHandle.current().pid() % 200 + (System.nanoTime() % 50)) + ".0/24";
    }

    @Test
    void pruneRemovesWhatIsNotRunningAndUnusedNetworksOnly() {
        String used = "pused" + Long.toHexString(System.nanoTime() & 0xfffff);
        String unused = "punused" + Long.toHexString(System.nanoTime() & 0xfffff);
        berth.run("network", "create", "--subnet", subnet(), used).ok();
        berth.run("network", "create", unused).ok();
        String running = berth.run("run", "-d", "--network", used, "--rootfs", rootfs, "sleep", "600").ok().line();
        String exited = berth.run("run", "-d", "--network", "none", "--rootfs", rootfs, "true").ok().line();
        String created = berth.run("create", "--network", "none", "--rootfs", rootfs, "true").ok().line();
        assertTrue(Berth.eventually(10_000, () -> berth.run("ps", "-a", "--filter", "status=exited", "-q", "--no-trunc").out()
                .contains(exited)), "the short container exits");
        Berth.Result asked = berth.runWithInput("n\n".getBytes(), 30, "system", "prune");
        assertEquals(0, asked.exitCode(), asked.err());
        assertTrue(asked.out().contains("Are you sure you want to continue? [y/N]"), asked.out());
        assertEquals(3, berth.run("ps", "-a", "-q").ok().out().lines().count(), "answering no removes nothing");

        Berth.Result r = berth.run("system", "prune", "-f").ok();
        assertTrue(r.out().startsWith("Deleted Containers\n"), r.out());
        assertTrue(r.out().contains(exited) && r.out().contains(created), r.out());
        assertFalse(r.out().contains(running), r.out());
        assertTrue(r.out().contains("Deleted Networks\n" + unused + "\n"), r.out());
        assertTrue(r.out().strip().endsWith("Total reclaimed space: 0B"), r.out());
        assertEquals(running, berth.run("ps", "-a", "-q", "--no-trunc").ok().line());
        String nets = berth.run("network", "ls").ok().out();
        assertTrue(nets.contains(used) && !nets.contains(unused), nets);
        berth.run("rm", "-f", "-t", "0", running).ok();
        berth.run("network", "rm", used).ok();
    }

    @Test
    void pruneTakesDanglingImagesAndWithFlagsVolumesAndEveryUnusedImage() throws Exception {
        Path tar = tmp.resolve("rootfs.tar");
        Process p = new ProcessBuilder("tar", "-C", rootfs, "-cf", tar.toString(), ".").inheritIO().start();
        assertEquals(0, p.waitFor());
        String dangling = berth.run("import", "-q", tar.toString(), "localhost/moved:1").ok().line();
        berth.run("import", "-q", "-c", "CMD [\"/bin/sh\"]", tar.toString(), "localhost/moved:1").ok(); // the tag moves on
        String kept = berth.run("import", "-q", "-c", "CMD [\"/bin/true\"]", tar.toString(), "localhost/kept:1").ok().line();
        berth.run("volume", "create", "inuse").ok();
        berth.run("volume", "create", "--label", "tmp=1", "labelled").ok();
        berth.run("volume", "create", "plain").ok();
        String running = berth.run("run", "-d", "--network", "none", "-v", "inuse:/data", "--rootfs", rootfs, "sleep", "600").ok().line();

        Berth.Result asked = berth.runWithInput("n\n".getBytes(), 30, "system", "prune", "--volumes");
        assertEquals("WARNING! This command removes:\n\t- all stopped containers\n\t- all networks not used by at least one container"
                + "\n\t- all volumes not used by at least one container\n\t- all dangling images\n\t- all dangling build cache\n\n"
                + "Are you sure you want to continue? [y/N] ", asked.out());
        assertEquals(3, berth.run("images", "-q").ok().out().lines().count(), "answering no removes nothing");

        Berth.Result filtered = berth.run("system", "prune", "-f", "--volumes", "--filter", "label=tmp").ok();
        assertEquals("Deleted Volumes\nlabelled\nTotal reclaimed space: 0B\n", filtered.out(), "a label filter spares what lacks it");
        assertTrue(filtered.err().contains("images are not filtered"), filtered.err());

        Berth.Result plain = berth.run("system", "prune", "-f").ok();
        assertTrue(plain.out().startsWith("Deleted Images\n") && plain.out().contains(dangling), plain.out());
        assertFalse(plain.out().contains("Deleted Volumes") || plain.out().contains(kept), plain.out());
        assertEquals(List.of("inuse", "plain"), berth.run("volume", "ls", "-q").ok().out().lines().sorted().toList());

        Berth.Result all = berth.run("system", "prune", "-f", "--volumes", "-a").ok();
        assertTrue(all.out().contains("Deleted Volumes\nplain\n"), all.out());
        assertTrue(all.out().contains("Deleted Images\n") && all.out().contains(kept), all.out());
        assertEquals(List.of("inuse"), berth.run("volume", "ls", "-q").ok().out().lines().toList(), "a volume in use stays");
        assertEquals(running, berth.run("ps", "-a", "-q", "--no-trunc").ok().line(), "the running container stays");
        assertEquals("", berth.run("images", "-q").ok().out(), "no image is left");
        berth.run("rm", "-f", "-t", "0", running).ok();
        assertEquals("Deleted Volumes\ninuse\nTotal reclaimed space: 0B\n", berth.run("system", "prune", "-f", "--volumes").ok().out());
    }

    @Test
    void resetLeavesNothingOfBerthBehind() throws Exception {
        String net = "reset" + Long.toHexString(System.nanoTime() & 0xfffff);
        berth.run("network", "create", "--subnet", subnet(), net).ok();
        berth.run("run", "-d", "--network", net, "--rootfs", rootfs, "sleep", "600").ok();
        berth.run("run", "-d", "--network", "none", "--restart", "always", "--rootfs", rootfs, "sleep", "600").ok();
        berth.run("create", "--network", "none", "--rootfs", rootfs, "true").ok();
        Berth.Result r = berth.run("system", "reset", "-f");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Berth.eventually(10_000, () -> conmonsFor(berth.root().toString()).isEmpty()),
                "conmon processes left: " + conmonsFor(berth.root().toString()));
        assertFalse(Files.exists(berth.root()) && Files.list(berth.root()).findAny().isPresent(), "files left under the root");
        assertFalse(Files.exists(berth.runRoot()) && Files.list(berth.runRoot()).findAny().isPresent(), "files left under the run root");
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(berth.runRoot().toString())).toList();
        assertEquals(List.of(), mounts);
        assertEquals("", berth.run("ps", "-a", "-q").ok().line());
        assertFalse(berth.run("network", "ls").ok().out().contains(net));
    }

    private static List<String> conmonsFor(String path) {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).map(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    return cmd.startsWith("/usr/bin/conmon") && cmd.contains(path) ? cmd : null;
                } catch (java.io.IOException e) {
                    return null;
                }
            }).filter(java.util.Objects::nonNull).toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
