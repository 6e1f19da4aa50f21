package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated reboot: every conmon and container process ends and the run root's contents are wiped,
 * as a reboot wipes its tmpfs. The first berth command then resets the stale states (the refresh), and
 * the command the distribution's boot unit runs brings back the restart=always containers and the
 * unless-stopped ones the user did not stop, with their logs kept.
 */
class RebootIT {
    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        rootfs = Berth.rootfs().toString();
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    @Test
    void restartPolicyContainersComeBackAfterAReboot() throws Exception {
        String script = "echo booted; sleep 600";
        berth.run("run", "-d", "--name", "always", "--network", "none", "--restart", "always", "--rootfs", rootfs, "sh", "-c", script).ok();
        berth.run("run", "-d", "--name", "unless", "--network", "none", "--restart", "unless-stopped", "--rootfs", rootfs, "sh", "-c", script).ok();
        berth.run("run", "-d", "--name", "stopped", "--network", "none", "--restart", "unless-stopped", "--rootfs", rootfs, "sleep", "600").ok();
        berth.run("run", "-d", "--name", "plain", "--network", "none", "--rootfs", rootfs, "sleep", "600").ok();
        berth.run("stop", "-t", "1", "stopped").ok();
        assertTrue(Berth.eventually(10_000, () -> berth.run("logs", "always").out().contains("booted")));

        simulateReboot();

        String ps = berth.run("ps", "-a", "--format", "{{.Names}} {{.Status}}").ok().out();
        assertTrue(ps.lines().noneMatch(l -> l.contains(" Up ")), "after a reboot nothing runs: " + ps);
        String unit = Files.readString(Berth.HOME.getParent().getParent().resolve("src/systemd/berth-restart.service"));
        String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> args = new ArrayList<>(List.of(exec.substring("ExecStart=/usr/bin/berth ".length()).split(" ")));
        Berth.Result started = berth.run(args.toArray(new String[0])).ok();
        List<String> names = new ArrayList<>();
        for (String id : started.out().strip().lines().toList()) {
            names.add(berth.run("inspect", "-f", "{{.Name}}", id).ok().line());
        }
        assertEquals(List.of("always", "unless"), names.stream().sorted().toList(), "started by the boot unit's command");
        for (String n : List.of("always", "unless")) {
            assertEquals("running", berth.run("inspect", "-f", "{{.State.Status}}", n).ok().line(), n);
        }
        for (String n : List.of("stopped", "plain")) {
            assertTrue(!berth.run("inspect", "-f", "{{.State.Status}}", n).ok().line().equals("running"), n + " stays down");
        }
        assertTrue(Berth.eventually(10_000, () -> berth.run("logs", "always").out().lines().filter(l -> l.equals("booted")).count() == 2),
                "the log from before the reboot is kept and the new run adds to it: " + berth.run("logs", "always").out());
    }

    /** Ends every conmon and container process of this root, then empties the run root, as a reboot's tmpfs. */
    private void simulateReboot() throws IOException, InterruptedException {
        Path crunRoot = berth.runRoot().resolve("runtime/crun");
        for (String id : list(crunRoot)) {
            sh("crun", "--root", crunRoot.toString(), "kill", "--all", id, "KILL");
        }
        for (String pid : conmons(berth.root().toString())) {
            sh("kill", "-KILL", pid);
        }
        Berth.eventually(10_000, () -> conmons(berth.root().toString()).isEmpty());
        // a reboot ends everything at once, the exit commands the kills above set off included: one
        // still running could restart a container, or hold one in "stopping", after the "reboot"
        Berth.eventually(10_000, () -> {
            List<String> left = processesNaming(berth.root().toString());
            for (String pid : left) {
                try {
                    sh("kill", "-KILL", pid);
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return left.isEmpty();
        });
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].startsWith(berth.runRoot().toString())) {
                sh("umount", "-l", f[4]);
            }
        }
        for (String entry : list(berth.runRoot())) {
            sh("rm", "-rf", berth.runRoot().resolve(entry).toString());
        }
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static List<String> conmons(String path) {
        return processes(path, true);
    }

    /** Every process but this test's whose command line names {@code path}: conmons, exit commands. */
    private static List<String> processesNaming(String path) {
        return processes(path, false);
    }

    private static List<String> processes(String path, boolean conmonOnly) {
        String self = Long.toString(ProcessHandle.current().pid());
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if ((!conmonOnly || cmd.startsWith("/usr/bin/conmon")) && cmd.contains(path) && !p.getFileName().toString().equals(self)) {
                        out.add(p.getFileName().toString());
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
