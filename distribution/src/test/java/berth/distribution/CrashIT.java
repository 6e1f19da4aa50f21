package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A berth process killed with SIGKILL at each named crash point (BERTH_CRASH_AT, test only) leaves
 * nothing behind once the next berth process has looked: after {@code ps -a} and {@code rm -a -f},
 * no conmon, no runtime state, no mount or network namespace, no IP lease or iptables rule of the
 * container, no intent and no held lock; and what {@code ps -a} showed was true.
 */
class CrashIT {
    private static final AtomicInteger OCTET = new AtomicInteger(100 + (int) (ProcessHandle.current().pid() % 100));

    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;
    String network;

    Path conf;

    @BeforeEach
    void setUp() throws IOException {
        // bridges of their own: another test's berth1 on the host may have another subnet
        conf = Files.writeString(tmp.resolve("containers.conf"),
                "[network]\nbridge_prefix = \"bc" + Long.toHexString(System.nanoTime() & 0xffffff) + "\"\n");
        berth = new Berth(tmp).global("--config", conf.toString());
        rootfs = Berth.rootfs().toString();
        network = "crash" + Long.toHexString(System.nanoTime() & 0xffffff);
        for (int attempt = 0; attempt < 30; attempt++) {
            int n = OCTET.getAndIncrement() % 250 + 1;
            Berth.Result r = berth.run("network", "create", "--subnet", "10.93." + n + ".0/24", network);
            if (r.exitCode() == 0) {
                return;
            }
        }
        throw new AssertionError("no free subnet for the crash tests' network");
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
        berth.run("network", "rm", network);
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"create:after-record", "init:after-intent", "init:after-netns", "init:after-network-setup",
            "init:after-spec", "init:after-runtime-create", "start:after-runtime-start", "stop:after-stopping-saved",
            "stop:after-runtime-stop", "cleanup:after-network-teardown", "cleanup:after-runtime-delete", "remove:after-files",
            "remove:after-record"})
    void nothingIsLeftAfterAKillAtEachStep(String point) throws Exception {
        Berth crashing = new Berth(tmp).global("--config", conf.toString()).env("BERTH_CRASH_AT", point);
        String op = point.substring(0, point.indexOf(':'));
        String[] run = {"run", "-d", "--name", "victim", "--network", network, "--rootfs", rootfs, "sleep", "600"};
        Berth.Result killed;
        switch (op) {
            case "create" -> killed = crashing.run("create", "--name", "victim", "--network", network, "--rootfs", rootfs, "sleep", "600");
            case "init", "start" -> killed = crashing.run(run);
            case "stop", "cleanup" -> {
                berth.run(run).ok();
                killed = crashing.run("stop", "-t", "1", "victim");
            }
            default -> {
                berth.run(run).ok();
                killed = crashing.run("rm", "-f", "-t", "1", "victim");
            }
        }
        assertEquals(137, killed.exitCode(), "berth was to die by SIGKILL at " + point + "; stderr: " + killed.err());

        String ps = berth.run("ps", "-a", "--format", "{{.ID}} {{.Status}}").ok().out();
        for (String line : ps.strip().lines().toList()) {
            String id = line.substring(0, line.indexOf(' '));
            if (line.contains(" Up ")) {
                String full = berth.run("inspect", "-f", "{{.Id}}", id).ok().line();
                assertEquals("running", runtimeStatus(full), "ps says " + line + " after a kill at " + point);
            }
        }
        // the record, if any, must be usable by the next operation
        if (!ps.isBlank()) {
            Berth.Result again = berth.run("rm", "-f", "-t", "1", "victim");
            assertEquals(0, again.exitCode(), "rm after a kill at " + point + ": " + again.err());
        }
        berth.run("rm", "-a", "-f", "-t", "1").ok();
        assertEquals("", berth.run("ps", "-a", "-q").ok().line(), "containers left after rm -a -f");
        assertNothingLeft(point);
    }

    /**
     * {@code run --rm} killed in its teardown, which does not save the steps the record's removal
     * discards (the network's among them): the next commands finish the removal and nothing is left.
     */
    @ParameterizedTest(name = "run --rm killed at {0}")
    @ValueSource(strings = {"cleanup:after-network-teardown", "cleanup:after-runtime-delete", "remove:after-files"})
    void aRunRmKilledInItsTeardownLeavesNothing(String point) throws Exception {
        Berth crashing = new Berth(tmp).global("--config", conf.toString()).env("BERTH_CRASH_AT", point);
        Berth.Result killed = crashing.run("run", "--rm", "--name", "victim", "--network", network, "--rootfs", rootfs, "true");
        assertEquals(137, killed.exitCode(), "berth was to die by SIGKILL at " + point + "; stderr: " + killed.err());
        berth.run("ps", "-a").ok();
        Berth.Result again = berth.run("rm", "-a", "-f", "-t", "1");
        assertEquals(0, again.exitCode(), "rm -a -f after a kill at " + point + ": " + again.err());
        assertEquals("", berth.run("ps", "-a", "-q").ok().line(), "containers left after rm -a -f");
        assertNothingLeft("run --rm, " + point);
    }

    /**
     * An exec killed at each step leaves its session true once the next berth looks: no intent, no
     * session files under the run root once the process ended, a detached session listed (stopped) as
     * if its starter had lived, an attached one not at all; the container runs on untouched.
     */
    @ParameterizedTest(name = "exec killed at {0}")
    @ValueSource(strings = {"exec:after-intent/attached", "exec:after-intent/detached", "exec:after-runtime-exec/attached",
            "exec:after-runtime-exec/detached"})
    void anExecKilledAtEachStepLeavesItsSessionTrue(String pointAndMode) throws Exception {
        String point = pointAndMode.substring(0, pointAndMode.indexOf('/'));
        boolean detached = pointAndMode.endsWith("/detached");
        String id = berth.run("run", "-d", "--name", "victim", "--network", "none", "--rootfs", rootfs, "sleep", "600").ok().line();
        Berth crashing = new Berth(tmp).global("--config", conf.toString()).env("BERTH_CRASH_AT", point);
        Berth.Result killed = detached ? crashing.run("exec", "-d", "victim", "sh", "-c", "sleep 1; exit 3")
                : crashing.run("exec", "victim", "sh", "-c", "exit 3");
        assertEquals(137, killed.exitCode(), "berth was to die by SIGKILL at " + point + "; stderr: " + killed.err());
        berth.run("ps", "-a").ok();
        Thread.sleep(1500); // the detached session's process ends
        String execIds = berth.run("inspect", "-f", "{{.ExecIDs}}", "victim").ok().line();
        boolean started = point.equals("exec:after-runtime-exec");
        String listed = execIds.substring(1, execIds.length() - 1).strip(); // "[id id]"
        assertEquals(detached && started ? 1 : 0, listed.isEmpty() ? 0 : listed.split(" ").length,
                "exec sessions listed after a kill at " + pointAndMode + ": " + execIds);
        assertExecsFinished(id, pointAndMode);
        assertTrue(berth.run("ps", "--format", "{{.Status}}").ok().line().startsWith("Up"), "the container runs on");
        assertEquals("running", runtimeStatus(id));
        berth.run("rm", "-f", "-t", "1", "victim").ok();
        assertNothingLeft(pointAndMode);
    }

    /** An attached exec whose CLI is killed while its process runs: recorded while it runs, finished once it ends. */
    @org.junit.jupiter.api.Test
    void anAttachedExecKilledWhileItRunsIsRecordedThenFinished() throws Exception {
        String id = berth.run("run", "-d", "--name", "victim", "--network", "none", "--rootfs", rootfs, "sleep", "600").ok().line();
        Path execDir = berth.runRoot().resolve("containers/" + id + "/userdata/exec");
        Process exec = berth.start(tmp.resolve("exec.log"), "exec", "victim", "sh", "-c", "sleep 3; exit 4");
        assertTrue(Berth.eventually(20_000, () -> {
            try {
                return entries(execDir).stream().anyMatch(s -> Files.exists(execDir.resolve(s).resolve("exec_pid")));
            } catch (IOException e) {
                return false;
            }
        }), "the exec's process never started");
        exec.destroyForcibly().waitFor();
        String session = entries(execDir).get(0);
        assertEquals("[" + session + "]", berth.run("inspect", "-f", "{{.ExecIDs}}", "victim").ok().line(),
                "a session whose starter died is recorded while it runs");
        assertEquals(List.of(), entries(berth.runRoot().resolve("libpod/exec-intents")), "its intent went once it was recorded");
        assertTrue(Berth.eventually(10_000, () -> {
            berth.run("inspect", "victim").ok(); // each look reaps what ended
            return !Files.exists(execDir.resolve(session));
        }), "the ended session's files are released");
        String inspect = berth.run("inspect", "victim").ok().out();
        assertTrue(inspect.contains(session), inspect);
        String events = berth.run("events", "--stream=false", "--filter", "event=exec_died", "--format", "{{.Status}}").out();
        assertTrue(events.contains("exec_died"), "the exit is an event: " + events);
        assertExecsFinished(id, "a kill while the exec ran");
        berth.run("rm", "-f", "-t", "1", "victim").ok();
        assertNothingLeft("a kill while the exec ran");
    }

    private void assertExecsFinished(String id, String point) throws IOException {
        assertEquals(List.of(), entries(berth.runRoot().resolve("libpod/exec-intents")), "exec intents left after a kill at " + point);
        assertEquals(List.of(), entries(berth.runRoot().resolve("containers/" + id + "/userdata/exec")),
                "exec session files left after a kill at " + point);
    }

    /**
     * The randomised soak: CLIs of run --rm, run -d, stop, rm and exec, four at a time, each killed by
     * SIGKILL after a random delay (or left to finish). Seeded, so a failure can be replayed with
     * -Dberth.soak.seed; -Dberth.soak.clis sets how many (200 by default).
     */
    @org.junit.jupiter.api.Test
    void nothingIsLeftAfterManyClisKilledAtRandomMoments() throws Exception {
        long seed = Long.getLong("berth.soak.seed", System.nanoTime());
        int clis = Integer.getInteger("berth.soak.clis", 200);
        java.util.Random random = new java.util.Random(seed);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        AtomicInteger killedCount = new AtomicInteger();
        for (int i = 0; i < clis; i++) {
            String name = "soak" + random.nextInt(12); // few names: operations meet on the same containers
            int kind = random.nextInt(5);
            String[] args = switch (kind) {
                case 0 -> new String[] {"run", "--rm", "--network", random.nextBoolean() ? "none" : network, "--rootfs", rootfs, "true"};
                case 1 -> new String[] {"run", "-d", "--name", name, "--network", random.nextBoolean() ? "none" : network, "--rootfs", rootfs,
                        "sleep", "600"};
                case 2 -> new String[] {"stop", "-t", "1", name};
                case 3 -> new String[] {"rm", "-f", "-t", "1", name};
                default -> new String[] {"exec", name, "true"};
            };
            long killAfter = random.nextInt(4) == 0 ? -1 : random.nextInt(400); // a quarter run to the end
            done.add(pool.submit(() -> {
                Process p = berth.start(Files.createTempFile(tmp, "soak", ".log"), args);
                if (killAfter >= 0 && !p.waitFor(killAfter, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    killedCount.incrementAndGet();
                }
                p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
                return null;
            }));
        }
        for (var f : done) {
            f.get(10, java.util.concurrent.TimeUnit.MINUTES);
        }
        pool.shutdown();
        String point = "the soak (seed " + seed + ", " + killedCount.get() + " of " + clis + " CLIs killed)";
        String ps = berth.run("ps", "-a", "--format", "{{.ID}} {{.Status}}").ok().out();
        for (String line : ps.strip().lines().toList()) {
            String id = line.substring(0, line.indexOf(' '));
            if (line.contains(" Up ")) {
                String full = berth.run("inspect", "-f", "{{.Id}}", id).ok().line();
                assertEquals("running", runtimeStatus(full), "ps says " + line + " after " + point);
            }
        }
        Berth.Result rm = berth.run("rm", "-a", "-f", "-t", "1");
        assertEquals(0, rm.exitCode(), "rm -a -f after " + point + ": " + rm.err());
        assertEquals("", berth.run("ps", "-a", "-q").ok().line(), "containers left after rm -a -f");
        assertNothingLeft(point);
    }

    /** For a leak's message: each lease's container (host-local writes its ID) and that container's events. */
    private String leaseOwners(List<String> leases) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String lease : leases) {
            Path f = berth.runRoot().resolve("networks/cni/cni-ipam/" + network).resolve(lease);
            String owner = Files.exists(f) ? Files.readString(f).strip().split("\\s+")[0] : "?";
            sb.append("\n  lease ").append(lease).append(" of container ").append(owner).append(", its events:\n");
            String events = berth.run("events", "--stream=false", "--filter", "container=" + owner, "--format",
                    "{{.Time}} {{.Status}} {{.Name}}").out().strip();
            sb.append(events.indent(4));
            // what the CLIs said of it, by its name (the last word of an event line)
            String name = events.isEmpty() ? owner : events.lines().reduce((a, b) -> b).orElse("").replaceAll(".* ", "");
            try (Stream<Path> logs = Files.list(tmp)) {
                for (Path log : logs.filter(l -> l.getFileName().toString().startsWith("soak")).toList()) {
                    for (String line : Files.readAllLines(log)) {
                        if (line.contains(name) || line.contains(owner.substring(0, Math.min(12, owner.length())))) {
                            sb.append("    ").append(log.getFileName()).append(": ").append(line).append('\n');
                        }
                    }
                }
            }
        }
        return sb.toString();
    }

    private void assertNothingLeft(String point) throws Exception {
        // conmon's cleanup command may still be finishing for this root
        Berth.eventually(10_000, () -> processesFor(berth.root().toString()).isEmpty());
        assertEquals(List.of(), processesFor(berth.root().toString()), "conmon processes left after a kill at " + point);
        assertEquals(List.of(), entries(berth.runRoot().resolve("runtime/crun")), "crun states left after a kill at " + point);
        assertEquals(List.of(), entries(berth.runRoot().resolve("netns")), "network namespaces left after a kill at " + point);
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(berth.runRoot().toString()) || l.contains(berth.root().toString())).toList();
        assertEquals(List.of(), mounts, "mounts left after a kill at " + point);
        assertEquals(List.of(), entries(berth.runRoot().resolve("libpod/intents")), "unfinished intents after a kill at " + point);
        assertEquals(List.of(), entries(berth.runRoot().resolve("libpod/exec-intents")), "unfinished exec intents after a kill at " + point);
        List<String> leases = new ArrayList<>(entries(berth.runRoot().resolve("networks/cni/cni-ipam/" + network)));
        leases.removeIf(n -> n.startsWith("last_reserved_ip") || n.equals("lock"));
        assertEquals(List.of(), leases, "IP leases left after a kill at " + point + leaseOwners(leases));
        String rules = run("iptables-save");
        List<String> mine = rules.lines().filter(l -> l.contains("name: \"" + network + "\"") && l.contains("id: \"")).toList();
        assertEquals(List.of(), mine, "iptables rules of removed containers left after a kill at " + point);
        for (String lock : entries(berth.runRoot().resolve("libpod/locks"))) {
            try (var ch = java.nio.channels.FileChannel.open(berth.runRoot().resolve("libpod/locks").resolve(lock),
                    java.nio.file.StandardOpenOption.WRITE)) {
                var held = ch.tryLock();
                assertTrue(held != null, "lock " + lock + " is held after a kill at " + point);
                held.release();
            }
        }
    }

    private String runtimeStatus(String id) throws IOException, InterruptedException {
        String out = run("crun", "--root", berth.runRoot().resolve("runtime/crun").toString(), "state", id);
        int at = out.indexOf("\"status\"");
        return at < 0 ? "" : out.substring(out.indexOf('"', at + 9) + 1, out.indexOf('"', out.indexOf('"', at + 9) + 1));
    }

    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** conmon processes whose command line names {@code path} (the containers' own are counted by crun's states). */
    private static List<String> processesFor(String path) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    String argv0 = cmd.contains(" ") ? cmd.substring(0, cmd.indexOf(' ')) : cmd;
                    if (argv0.endsWith("conmon") && cmd.contains(path)) {
                        out.add(p.getFileName() + ": " + cmd.strip());
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

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
