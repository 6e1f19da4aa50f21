package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container lifecycle of issue #4 through the CLI, on real conmon and crun (the default). */
class LifecycleIT {
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

    private String status(String name) {
        return berth.run("inspect", "-f", "{{.State.Status}}", name).ok().line();
    }

    @Test
    void detachedPsLogsExecStopRm() throws Exception {
        String id = berth.run("run", "-d", "--name", "web", "--rootfs", rootfs, "sh", "-c",
                "trap 'exit 143' TERM; echo started; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done").ok().line();
        assertEquals(64, id.length(), id);
        String ps = berth.run("ps").ok().out();
        assertTrue(ps.contains("web") && ps.contains(id.substring(0, 12)) && ps.contains("Up"), ps);
        assertEquals(id.substring(0, 12), berth.run("ps", "-q", "--filter", "name=web").ok().line());
        String json = berth.run("ps", "--format", "json").ok().out();
        assertTrue(json.contains("\"Names\": \"web\""), json);
        assertEquals("web running", berth.run("ps", "--format", "{{.Names}} {{.State}}").ok().line());

        // logs -f follows while the container writes
        Path followOut = tmp.resolve("follow.txt");
        Process follow = berth.start(followOut, "logs", "-f", "web");
        assertTrue(Berth.eventually(10000, () -> Berth.read(followOut).contains("tick 3")), "logs -f did not follow");
        follow.destroy();
        follow.waitFor(5, TimeUnit.SECONDS);
        String followed = Berth.read(followOut);
        assertTrue(followed.startsWith("started\ntick 1\n"), followed);
        assertTrue(followed.contains("tick 3"), followed);
        assertEquals("started", berth.run("logs", "--tail", "-1", "web").ok().out().lines().findFirst().orElse(""));

        Berth.Result ex = berth.run("exec", "-e", "FOO=bar", "-w", "/tmp", "web", "sh", "-c", "echo $FOO $(pwd); exit 5");
        assertEquals(5, ex.exitCode(), ex.err());
        assertEquals("bar /tmp", ex.line());
        assertEquals("nobody", berth.run("exec", "-u", "nobody", "web", "whoami").ok().line());

        long t0 = System.nanoTime();
        berth.run("stop", "web").ok();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000, "the container handles TERM: stop must not wait for the timeout");
        assertEquals("exited", status("web"));
        String exitCode = berth.run("inspect", "-f", "{{.State.ExitCode}}", "web").ok().line();
        assertEquals("143", exitCode);
        assertEquals("143", berth.run("wait", "web").ok().line());
        berth.run("rm", "web").ok();
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
        assertFalse(Files.exists(berth.root().resolve("containers").resolve(id)), "rm leaves the container's files");
    }

    @Test
    void stopKillsAProcessThatIgnoresSigterm() {
        berth.run("run", "-d", "--name", "stubborn", "--rootfs", rootfs, "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").ok();
        long t0 = System.nanoTime();
        berth.run("stop", "-t", "1", "stubborn").ok();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1000 && ms < 8000, "stop took " + ms + " ms");
        assertEquals("137", berth.run("inspect", "-f", "{{.State.ExitCode}}", "stubborn").ok().line());
    }

    @Test
    void killDeliversTheSignal() {
        berth.run("run", "-d", "--name", "sig", "--rootfs", rootfs, "sh", "-c",
                "trap 'echo got USR1' USR1; echo ready; while true; do sleep 0.1; done").ok();
        assertTrue(Berth.eventually(5000, () -> berth.run("logs", "sig").out().contains("ready")));
        berth.run("kill", "-s", "USR1", "sig").ok();
        assertTrue(Berth.eventually(5000, () -> berth.run("logs", "sig").out().contains("got USR1")), berth.run("logs", "sig").out());
        assertEquals("running", status("sig"));
        berth.run("kill", "sig").ok();
        assertTrue(Berth.eventually(5000, () -> status("sig").equals("exited")));
    }

    @Test
    void pauseFreezesAndUnpauseThaws() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        berth.run("run", "-d", "--name", "counter", "-v", shared + ":/out", "--rootfs", rootfs, "sh", "-c",
                "i=0; while true; do i=$((i+1)); echo $i > /out/n; sleep 0.05; done").ok();
        assertTrue(Berth.eventually(5000, () -> count(shared) > 3));
        berth.run("pause", "counter").ok();
        assertEquals("paused", status("counter"));
        long frozen = count(shared);
        Thread.sleep(500);
        assertEquals(frozen, count(shared), "the counter moved while paused");
        assertEquals(125, berth.run("pause", "counter").exitCode(), "pausing a paused container is refused");
        berth.run("unpause", "counter").ok();
        assertEquals("running", status("counter"));
        assertTrue(Berth.eventually(5000, () -> count(shared) > frozen + 3), "the counter did not resume");
    }

    private static long count(Path dir) {
        try {
            String s = Files.readString(dir.resolve("n")).strip();
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Test
    void onFailureRestartsTwiceThenStaysExited() {
        berth.run("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "--rootfs", rootfs, "sh", "-c", "sleep 0.3; exit 3").ok();
        // "2 exited 3" is also what the record says for a moment during the second restart (the
        // restart count goes up before the container is started again), so wait until it holds for a
        // second, then check that it stays so
        java.util.function.BooleanSupplier done = () -> "2 exited 3".equals(
                berth.run("inspect", "-f", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", "flaky").line());
        assertTrue(Berth.eventually(20000, () -> done.getAsBoolean() && !Berth.eventually(1000, () -> !done.getAsBoolean())),
                berth.run("inspect", "flaky").out());
        assertFalse(Berth.eventually(1500, () -> !done.getAsBoolean()), "restarted beyond on-failure:2: " + berth.run("inspect", "flaky").out());
    }

    @Test
    void alwaysRestartsUntilStopped() {
        berth.run("run", "-d", "--name", "phoenix", "--restart", "always", "--rootfs", rootfs, "sh", "-c", "sleep 0.2; exit 0").ok();
        assertTrue(Berth.eventually(20000, () -> {
            String n = berth.run("inspect", "-f", "{{.RestartCount}}", "phoenix").line();
            return !n.isEmpty() && Integer.parseInt(n) >= 3;
        }));
        berth.run("stop", "-t", "1", "phoenix").ok();
        String after = berth.run("inspect", "-f", "{{.RestartCount}}", "phoenix").ok().line();
        assertEquals("exited", status("phoenix"));
        // for a second, no restart follows the stop
        assertFalse(Berth.eventually(1000, () -> !after.equals(berth.run("inspect", "-f", "{{.RestartCount}}", "phoenix").ok().line())
                || !"exited".equals(status("phoenix"))), "restarted after stop");
    }

    @Test
    void rmLeavesNoStateMountsOrConmon() throws Exception {
        berth.run("run", "--rm", "--name", "gone", "--rootfs", rootfs, "true").ok();
        berth.run("run", "-d", "--rm", "--name", "gone2", "--rootfs", rootfs, "sleep", "0.3").ok();
        assertTrue(Berth.eventually(10000, () -> berth.run("ps", "-a", "-q").out().isEmpty()), "detached --rm container not removed");
        assertEquals(0, Files.list(berth.root().resolve("containers")).count(), "container directories left behind");
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mounts.contains(berth.root().toString()) || mounts.contains(berth.runRoot().toString()), "mounts left behind");
        // conmon runs the exit command that removes the record and exits only after it: give it a moment
        assertTrue(Berth.eventually(10000, () -> conmonsUnder(berth.root()).isEmpty()), "conmon left running: " + conmonsUnder(berth.root()));
    }

    private static String conmonsUnder(Path root) {
        try {
            Process ps = new ProcessBuilder("pgrep", "-f", "conmon.*" + root).start();
            ps.waitFor(5, TimeUnit.SECONDS);
            return new String(ps.getInputStream().readAllBytes()).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oomKilledContainerIsReported() {
        Berth.Result r = berth.run("run", "--name", "hog", "-m", "20m", "--rootfs", rootfs, "sh", "-c",
                "a=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
        assertEquals(137, r.exitCode(), r.err());
        assertEquals("true 137", berth.run("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", "hog").ok().line());
    }

    @Test
    void requiresStartsTheDependencyFirstAndGuardsItsRemoval() {
        berth.run("create", "--name", "db", "--rootfs", rootfs, "sleep", "60").ok();
        berth.run("create", "--name", "app", "--requires", "db", "--rootfs", rootfs, "sleep", "60").ok();
        berth.run("start", "app").ok();
        assertEquals("running", status("db"));
        assertEquals("running", status("app"));
        Berth.Result rm = berth.run("rm", "-f", "db");
        assertEquals(125, rm.exitCode());
        assertTrue(rm.err().contains("db") && rm.err().contains("app"), rm.err());
        assertEquals("running", status("db"));
        // rm --all takes a chain apart from its end: cache needs app needs db
        berth.run("create", "--name", "cache", "--requires", "app", "--rootfs", rootfs, "true").ok();
        String[] ids = {id("cache"), id("app"), id("db")};
        Berth.Result all = berth.run("rm", "-a", "-f", "-t", "0");
        assertEquals(0, all.exitCode(), all.err());
        assertEquals(java.util.List.of(ids), all.out().lines().toList(), "dependents first");
        assertEquals("", berth.run("ps", "-a", "-q").ok().out().strip());
    }

    private String id(String name) {
        return berth.run("inspect", "-f", "{{.Id}}", name).ok().line();
    }

    @Test
    void restartStopsAndStartsAgain() {
        berth.run("run", "-d", "--name", "again", "--rootfs", rootfs, "sleep", "60").ok();
        String pid1 = berth.run("inspect", "-f", "{{.State.Pid}}", "again").ok().line();
        berth.run("restart", "-t", "0", "again").ok();
        String pid2 = berth.run("inspect", "-f", "{{.State.Pid}}", "again").ok().line();
        assertEquals("running", status("again"));
        assertFalse(pid1.equals(pid2), "same pid after restart");
    }

    @Test
    void startAttachReturnsTheExitCode() {
        berth.run("create", "--name", "once", "--rootfs", rootfs, "sh", "-c", "echo hi; exit 4").ok();
        Berth.Result r = berth.run("start", "-a", "once");
        assertEquals(4, r.exitCode());
        assertEquals("hi", r.line());
        assertEquals("4", berth.run("wait", "once").ok().line());
    }

    @Test
    void badInputGetsClearErrorsAndChangesNothing() {
        Berth.Result missing = berth.run("run", "--rm", "--rootfs", tmp.resolve("nope").toString(), "true");
        assertEquals(125, missing.exitCode());
        assertTrue(missing.err().contains("nope"), missing.err());

        Berth.Result runtime = berth.run("run", "--rm", "--runtime", "nosuch", "--rootfs", rootfs, "true");
        assertEquals(125, runtime.exitCode());
        assertTrue(runtime.err().contains("nosuch") && runtime.err().contains("crun") && runtime.err().contains("runc"), runtime.err());

        berth.run("create", "--name", "taken", "--rootfs", rootfs, "sleep", "60").ok();
        Berth.Result taken = berth.run("create", "--name", "taken", "--rootfs", rootfs, "true");
        assertEquals(125, taken.exitCode());
        assertTrue(taken.err().contains("taken") && taken.err().contains("in use"), taken.err());

        Berth.Result notFound = berth.run("run", "--rm", "--name", "nocmd", "--rootfs", rootfs, "/no/such/cmd");
        assertEquals(127, notFound.exitCode(), notFound.err());
        assertTrue(notFound.err().contains("nocmd") && notFound.err().contains("/no/such/cmd"), notFound.err());

        Berth.Result notExec = berth.run("run", "--rm", "--rootfs", rootfs, "/etc/passwd");
        assertEquals(126, notExec.exitCode(), notExec.err());

        berth.run("start", "taken").ok();
        Berth.Result again = berth.run("start", "taken");
        assertEquals(125, again.exitCode());
        assertTrue(again.err().contains("taken") && again.err().contains("running"), again.err());
        assertEquals("running", status("taken"));

        berth.run("stop", "-t", "0", "taken").ok();
        Berth.Result exec = berth.run("exec", "taken", "true");
        assertEquals(125, exec.exitCode());
        assertTrue(exec.err().contains("taken") && exec.err().contains("exited"), exec.err());
        assertEquals("exited", status("taken"));

        Berth.Result unknownFlag = berth.run("run", "--bogus", "--rootfs", rootfs, "true");
        assertEquals(125, unknownFlag.exitCode());
        assertTrue(unknownFlag.err().contains("--bogus"), unknownFlag.err());

        assertEquals(List.of("taken"), berth.run("ps", "-a", "--format", "{{.Names}}").ok().out().lines().toList());
    }

    @Test
    void interactiveExecAttachWithDetachKeysAndLogOptions() {
        berth.run("run", "-d", "-i", "--name", "echoer", "--rootfs", rootfs, "sh", "-c",
                "echo up; while read l; do echo got $l; done; echo stdin closed; sleep 60").ok();
        Berth.Result ex = berth.runWithInput("hello\nworld\n".getBytes(), 30, "exec", "-i", "echoer", "sh", "-c", "cat | tr a-z A-Z");
        assertEquals("HELLO\nWORLD", ex.out().strip(), ex.err());
        // attach, type a line, then ctrl-p ctrl-q: berth returns and the container runs on (as in
        // podman, detaching from a non-terminal container closes its stdin). Typed: each key comes in
        // a read of its own, as podman requires of detach keys (in bulk they are data)
        assertEquals(0, typeInto(new byte[][] {"ping\n".getBytes(), {16}, {17}}, "attach", "echoer"));
        assertTrue(Berth.eventually(5000, () -> berth.run("logs", "echoer").out().contains("got ping")), berth.run("logs", "echoer").out());
        assertEquals("running", status("echoer"));
        List<String> stamped = berth.run("logs", "-t", "--tail", "2", "echoer").ok().out().lines().toList();
        assertEquals(2, stamped.size(), stamped.toString());
        assertTrue(stamped.get(0).matches("\\d{4}-\\d{2}-\\d{2}T\\S+ got ping"), stamped.toString());

        berth.run("run", "--name", "quiet", "--log-driver", "none", "--rootfs", rootfs, "echo", "unseen").ok();
        Berth.Result logs = berth.run("logs", "quiet");
        assertEquals(125, logs.exitCode());
        assertTrue(logs.err().contains("quiet") && logs.err().contains("none"), logs.err());
    }

    /** Runs berth with each chunk written to its stdin apart (a pause between), as keys typed; its exit code. */
    private int typeInto(byte[][] chunks, String... args) {
        try {
            ProcessBuilder pb = new ProcessBuilder(berth.command(args));
            pb.redirectOutput(tmp.resolve("typed.out").toFile());
            pb.redirectError(tmp.resolve("typed.err").toFile());
            Process p = pb.start();
            try (java.io.OutputStream in = p.getOutputStream()) {
                for (byte[] chunk : chunks) {
                    Thread.sleep(500);
                    in.write(chunk);
                    in.flush();
                }
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("berth " + String.join(" ", args) + " did not detach within 30 s");
                }
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Seed 004 refresh: after a reboot (the volatile run root is gone) running containers are reset. */
    @Test
    void refreshAfterRebootResetsStaleState() throws Exception {
        berth.run("run", "-d", "--name", "survivor", "--network", "none", "--rootfs", rootfs, "sleep", "60").ok();
        berth.run("run", "--name", "done", "--rootfs", rootfs, "true").ok();
        String conmon = berth.run("inspect", "-f", "{{.State.ConmonPid}}", "survivor").ok().line();
        String pid = berth.run("inspect", "-f", "{{.State.Pid}}", "survivor").ok().line();
        // a "reboot": the processes die and the run root (a tmpfs after a real reboot) is emptied
        new ProcessBuilder("kill", "-9", conmon, pid).start().waitFor();
        new ProcessBuilder("sh", "-c", "for d in " + berth.runRoot() + "/runtime/*/*; do [ -d \"$d\" ] && crun --root $(dirname $d) delete -f $(basename $d); done; rm -rf " + berth.runRoot()).start().waitFor();
        assertEquals("created 0", berth.run("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", "survivor").ok().line());
        assertEquals("exited", status("done"));
        assertTrue(Files.exists(berth.runRoot().resolve("libpod/alive")));
        berth.run("start", "survivor").ok();
        assertEquals("running", status("survivor"));
    }

    /** podman's --sig-proxy: a signal to an attached run reaches the container. */
    @Test
    void signalsToAnAttachedRunReachTheContainer() throws Exception {
        proxiesSigint(false);
    }

    /** podman (Go's signal.Notify) proxies a signal that was ignored when it started; so must berth. */
    @Test
    void signalsReachTheContainerWhenBerthStartedWithSigintIgnored() throws Exception {
        proxiesSigint(true);
    }

    private void proxiesSigint(boolean ignoredAtStart) throws Exception {
        Path out = tmp.resolve("sig.txt");
        String[] args = {"run", "--rm", "--name", "proxied", "--network", "none", "--rootfs", rootfs, "sh", "-c",
                "trap 'echo got INT; exit 130' INT; echo ready; while true; do sleep 0.1; done"};
        Process run = ignoredAtStart ? berth.startIgnoringSigint(out, args) : berth.start(out, args);
        assertTrue(Berth.eventually(10000, () -> Berth.read(out).contains("ready")), Berth.read(out));
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "berth did not end after the container did");
        assertEquals(130, run.exitValue());
        assertTrue(Berth.read(out).contains("got INT"), Berth.read(out));
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
    }
}
