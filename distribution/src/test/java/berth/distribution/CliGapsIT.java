package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: podman CLI behaviours its system tests (030-run, 075-exec) check: {@code run --timeout},
 * {@code --runtime /full/path}, and {@code exec -i} with a megabyte and a half of piped input.
 */
class CliGapsIT {
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
        berth.run("rm", "-a", "-f", "-t", "0");
        berth.cleanUp();
    }

    /** 030-run "podman run --timeout - basic test": conmon kills it, run exits 255, the exit code is -1. */
    @Test
    void runTimeoutKillsTheContainerAndExits255() {
        long t0 = System.nanoTime();
        Berth.Result r = berth.run("run", "--name", "timeouttest", "--timeout", "3", "--rootfs", rootfs, "sleep", "60");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(255, r.exitCode(), r.out() + r.err());
        assertTrue(seconds >= 3 && seconds <= 12, "run --timeout 3 took " + seconds + " s");
        assertEquals("exited -1", berth.run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "timeouttest").ok().line());
        berth.run("rm", "timeouttest").ok();

        // create --timeout is kept in the record and applies at start
        berth.run("create", "--name", "later", "--timeout", "2", "--rootfs", rootfs, "sleep", "60").ok();
        berth.run("start", "later").ok();
        assertEquals("-1", berth.run("wait", "later").ok().line());
        assertEquals(125, berth.run("run", "--timeout", "soon", "--rootfs", rootfs, "true").exitCode());
    }

    /** 030-run "full path to --runtime is preserved": a copy of crun under another name runs the container. */
    @Test
    void fullPathToRuntimeIsPreserved() throws IOException {
        Path crun = Path.of(berth.run("info", "--format", "{{.Host.OCIRuntime.Path}}").ok().line());
        Path copy = tmp.resolve("myruntime" + Long.toHexString(System.nanoTime()));
        Files.copy(crun, copy, StandardCopyOption.COPY_ATTRIBUTES);
        String id = berth.run("run", "-d", "--runtime", copy.toString(), "--rootfs", rootfs, "sleep", "60").ok().line();
        assertEquals(copy.toString(), berth.run("inspect", "--format", "{{.OCIRuntime}}", id).ok().line());
        String conmon = berth.run("inspect", "--format", "{{.State.ConmonPid}}", id).ok().line();
        String cmdline = Files.readString(Path.of("/proc", conmon, "cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains(" -r " + copy + " "), "conmon does not run the copy: " + cmdline);
        assertEquals("hi", berth.run("exec", id, "echo", "hi").ok().line());
        berth.run("kill", id).ok();
        berth.run("wait", id).ok();
        berth.run("rm", id).ok();

        Berth.Result missing = berth.run("run", "--runtime", tmp.resolve("nothing").toString(), "--rootfs", rootfs, "true");
        assertEquals(125, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("nothing"), missing.err());
    }

    /**
     * 075-exec "cat from stdin": 1.5 MB of random bytes piped into {@code exec -i} all arrive, and dd's
     * report comes back. Random data holds the detach keys (ctrl-p ctrl-q) many times over; as in
     * podman, keys that come in bulk are data, not a detach.
     */
    @Test
    void execInteractiveCopiesALargeStdinWhole() {
        berth.run("run", "-d", "--name", "sink", "--rootfs", rootfs, "sleep", "600").ok();
        byte[] data = new byte[512 * 3000];
        new Random(14).nextBytes(data);
        Berth.Result r = berth.runWithInput(data, 60, "exec", "-i", "sink", "dd", "of=/tmp/bigfile", "bs=512");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains("3000+0 records in"), r.out() + r.err());
        assertEquals(Integer.toString(data.length), berth.run("exec", "sink", "stat", "-c", "%s", "/tmp/bigfile").ok().line());
        String sum = berth.run("exec", "sink", "md5sum", "/tmp/bigfile").ok().line().split("\\s+")[0];
        assertEquals(md5(data), sum);
    }

    /** 030-run "podman run --preserve-fds": the container reads fd 4 that the caller opened. */
    @Test
    void preserveFdsHandsTheCallersDescriptorsToTheContainer() throws Exception {
        Path file = tmp.resolve("tempfile");
        Files.writeString(file, "preserved-" + Long.toHexString(System.nanoTime()) + "\n");
        StringBuilder line = new StringBuilder("exec");
        for (String arg : berth.command("run", "--rm", "-i", "--preserve-fds=2", "--rootfs", rootfs, "sh", "-c", "cat <&4")) {
            line.append(' ').append(quote(arg));
        }
        line.append(" 3</dev/null 4<").append(quote(file.toString()));
        Process p = new ProcessBuilder("sh", "-c", line.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(Files.readString(file).strip(), out.strip());

        // a descriptor that is not open is refused before anything is made
        Berth.Result r = berth.run("run", "--rm", "--preserve-fds", "40", "--rootfs", rootfs, "true");
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains("is not available - the preserve-fds option requires that all preserved file descriptors be open"), r.err());
    }

    /** 030-run "log-opt option" and "-l": max-size reaches conmon and inspect; inspect -l is the newest container. */
    @Test
    void logOptMaxSizeAndInspectLatest() throws IOException {
        String id = berth.run("run", "-d", "--log-opt", "max-size=1.015m", "--rootfs", rootfs, "sleep", "60").ok().line();
        assertEquals("1.015MB", berth.run("inspect", "--format", "{{ .HostConfig.LogConfig.Size }}", id).ok().line());
        String conmon = berth.run("inspect", "--format", "{{.State.ConmonPid}}", id).ok().line();
        String cmdline = Files.readString(Path.of("/proc", conmon, "cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains(" --log-size-max 1015000 "), cmdline);
        assertEquals(id, berth.run("inspect", "-l", "--format", "{{.Id}}").ok().line());
        assertEquals(125, berth.run("run", "--log-opt", "bogus=1", "--rootfs", rootfs, "true").exitCode());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String md5(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
