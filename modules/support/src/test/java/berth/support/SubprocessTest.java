package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubprocessTest {
    @TempDir
    Path tmp;

    @Test
    void stdoutAndStderrAreSeparate() {
        Subprocess.Result r = Subprocess.of("sh", "-c", "echo out; echo err >&2; exit 3").run();
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.ok());
    }

    @Test
    void mergedStderrGoesIntoStdout() {
        Subprocess.Result r = Subprocess.of("sh", "-c", "echo out; echo err >&2").mergeStderr().run();
        assertEquals("out\nerr\n", r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void aMebibyteOnBothPipesAndOnStdinDoesNotDeadlock() {
        String script = "(head -c 1048576 /dev/zero | tr '\\0' e >&2) & head -c 1048576 /dev/zero | tr '\\0' o; wait";
        Subprocess.Result r = Subprocess.of("sh", "-c", script).timeoutMillis(60_000).run();
        assertEquals(0, r.exitCode());
        assertEquals("o".repeat(1 << 20), r.stdout());
        assertEquals("e".repeat(1 << 20), r.stderr());

        byte[] in = new byte[1 << 20];
        Arrays.fill(in, (byte) 'i');
        Subprocess.Result cat = Subprocess.of("cat").stdin(in).timeoutMillis(60_000).run();
        assertEquals("i".repeat(1 << 20), cat.stdout());

        // a child that never reads a large stdin still completes
        assertEquals("done\n", Subprocess.of("sh", "-c", "echo done").stdin(in).timeoutMillis(60_000).run().stdout());
    }

    @Test
    void aStartedChildWaitsForItsStdinAndIsFinishedLater() throws Exception {
        Path mark = tmp.resolve("acted");
        // the child acts only after it has read all of stdin, as a CNI plugin does
        Subprocess.Started s = Subprocess.of("sh", "-c", "input=$(cat); touch \"$MARK\"; echo \"got $input\"")
                .environment(Map.of("MARK", mark.toString())).timeoutMillis(10_000).start();
        Thread.sleep(200);
        assertFalse(Files.exists(mark), "the child acted before it was given its stdin");
        Subprocess.Result r = s.finish("config".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, r.exitCode());
        assertEquals("got config\n", r.stdout());
        assertTrue(Files.exists(mark));
    }

    @Test
    void aCancelledChildNeverActsAndIsReaped() throws Exception {
        Path mark = tmp.resolve("acted");
        Path pidFile = tmp.resolve("child.pid");
        Subprocess.Started s = Subprocess.of("sh", "-c", "echo $$ > \"$PIDFILE\"; cat > /dev/null; touch \"$MARK\"")
                .environment(Map.of("MARK", mark.toString(), "PIDFILE", pidFile.toString())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        s.cancel();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the cancelled child " + pid + " still runs");
        Thread.sleep(100);
        assertFalse(Files.exists(mark), "a cancelled child acted: its stdin was closed, not it killed");
    }

    @Test
    void aTimeoutKillsTheProcessTreeAndSaysSo() throws Exception {
        Path pidFile = tmp.resolve("sleep.pid");
        Subprocess p = Subprocess.of("sh", "-c", "sleep 30 & echo $! > \"$PIDFILE\"; echo waiting >&2; wait")
                .environment(Map.of("PIDFILE", pidFile.toString())).timeoutMillis(1000);
        long start = System.nanoTime();
        Subprocess.Failed e = assertThrows(Subprocess.Failed.class, p::run);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Subprocess.Failed.Kind.TIMEOUT, e.kind());
        assertEquals(ErrorCode.TIMEOUT, e.code());
        assertTrue(e.getMessage().contains("sh -c sleep 30"), e.getMessage());
        assertTrue(e.getMessage().contains("timed out after 1 s; killed it; stderr: waiting"), e.getMessage());
        assertEquals("timed out after 1 s", e.detail());
        assertEquals("waiting\n", e.partial().stderr());
        assertTrue(millis < 8_000, "took " + millis + " ms");

        // the grandchild is gone within moments of the kill, not left running its 30 s
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the child's child survived the kill");
            Thread.sleep(20);
        }
    }

    @Test
    void checkFailsWithTheCommandTheCodeAndStderr() {
        Subprocess.Failed e = assertThrows(Subprocess.Failed.class,
                () -> Subprocess.of("sh", "-c", "echo no >&1; echo 'device busy' >&2; exit 4").check(ErrorCode.NETWORK_ERROR));
        assertEquals(ErrorCode.NETWORK_ERROR, e.code());
        assertEquals(Subprocess.Failed.Kind.EXIT, e.kind());
        assertTrue(e.getMessage().startsWith("sh -c echo no"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with code 4: device busy"), e.getMessage());
        assertEquals(4, e.partial().exitCode());
        assertEquals("ok\n", Subprocess.of("echo", "ok").check(ErrorCode.INTERNAL).stdout());
    }

    @Test
    void environmentDirectoryAndStartFailures() throws Exception {
        Subprocess.Result r = Subprocess.of("/bin/sh", "-c", "printf '%s|%s|%s' \"$A\" \"${HOME-unset}\" \"$(pwd)\"")
                .clearEnvironment().environment(Map.of("A", "1")).directory(tmp).run();
        assertEquals("1|unset|" + tmp.toRealPath(), r.stdout());

        Subprocess.Failed e = assertThrows(Subprocess.Failed.class, () -> Subprocess.of(tmp.resolve("missing").toString()).run());
        assertEquals(Subprocess.Failed.Kind.START, e.kind());
        assertTrue(e.getMessage().contains("cannot run " + tmp.resolve("missing")), e.getMessage());
    }

    @Test
    void captureIsBounded() {
        Subprocess.Result r = Subprocess.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x").captureLimit(10).run();
        assertEquals("xxxxxxxxxx", r.stdout());
        assertEquals(0, r.exitCode());
    }
}
