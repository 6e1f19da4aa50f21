package berth.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives the assembled {@code bin/berth} as a user would, against its own --root and --runroot, and
 * checks that the machine has what the tests need: a missing binary or missing root is a loud
 * failure, never a silent skip.
 */
public final class Berth {
    public static final Path HOME = Path.of(System.getProperty("berth.home", "target/berth")).toAbsolutePath();
    public static final Path BIN = HOME.resolve("bin/berth");

    private final Path root;
    private final Path runRoot;
    private final List<String> extraGlobal = new ArrayList<>();
    private final Map<String, String> env = new java.util.HashMap<>();

    /** What one command did. */
    public record Result(int exitCode, String out, String err) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("berth failed with exit code " + exitCode + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }

        public String line() {
            return out.strip();
        }
    }

    public Berth(Path dir) {
        requireMachine();
        this.root = dir.resolve("root");
        this.runRoot = Path.of("/run/berth-test-" + Integer.toHexString(dir.toString().hashCode()) + "-" + ProcessHandle.current().pid());
    }

    public Path root() {
        return root;
    }

    public Path runRoot() {
        return runRoot;
    }

    public Berth global(String... args) {
        extraGlobal.addAll(List.of(args));
        return this;
    }

    public Berth env(String k, String v) {
        env.put(k, v);
        return this;
    }

    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BIN.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.add("--runroot");
        cmd.add(runRoot.toString());
        cmd.addAll(extraGlobal);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public Result run(String... args) {
        return runWithTimeout(120, args);
    }

    public Result runWithTimeout(int seconds, String... args) {
        return runWithInput(null, seconds, args);
    }

    /** Runs with {@code input} (bytes) on stdin; null for /dev/null. */
    public Result runWithInput(byte[] input, int seconds, String... args) {
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(args));
            pb.environment().putAll(env);
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            } else {
                in = Files.createTempFile("berth-in", ".bin");
                Files.write(in, input);
                pb.redirectInput(in.toFile());
            }
            out = Files.createTempFile("berth-out", ".txt");
            err = Files.createTempFile("berth-err", ".txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("berth " + String.join(" ", args) + " did not finish within " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + BIN + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file of a test run; /tmp is cleaned anyway
            }
        }
    }

    /** Starts a berth command in the background (logs -f, attach), its output going to {@code out}. */
    public Process start(Path out, String... args) throws IOException {
        return start(out, command(args));
    }

    /** As {@link #start(Path, String...)}, with SIGINT ignored from the start (a script's background job, nohup). */
    public Process startIgnoringSigint(Path out, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        cmd.addAll(command(args));
        return start(out, cmd);
    }

    private Process start(Path out, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectOutput(out.toFile());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Removes every container and the run root; for @AfterEach. */
    public void cleanUp() {
        run("rm", "-a", "-f", "-t", "0");
        // conmon's exit commands (berth container cleanup) may still be running for this root
        eventually(15000, () -> {
            try {
                Process p = new ProcessBuilder("pgrep", "-f", "--", "--root " + root + " ").start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                p.waitFor();
                return out.isEmpty();
            } catch (IOException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
        try {
            if (Files.exists(runRoot)) {
                new ProcessBuilder("rm", "-rf", runRoot.toString()).start().waitFor();
            }
        } catch (IOException e) {
            // leave it for the next run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static volatile boolean checked;

    /** Fails loudly when the machine lacks what the suite needs (.ci/run installs all of it). */
    public static synchronized void requireMachine() {
        if (checked) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (the tests create real containers)");
        }
        for (String b : List.of("/usr/bin/conmon", "/usr/bin/runc", "/usr/bin/crun", "/usr/bin/runsc", "/bin/busybox")) {
            if (!Files.isExecutable(Path.of(b))) {
                missing.add(b);
            }
        }
        if (!Files.isExecutable(BIN)) {
            missing.add(BIN + " (run mvn package first)");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("this machine lacks what the tests need: " + missing + "; run .ci/run (it installs the packages)");
        }
        checked = true;
    }

    /** A busybox-static root filesystem, built once per test JVM with scripts/make-rootfs.sh. */
    public static synchronized Path rootfs() {
        Path dir = HOME.getParent().resolve("test-rootfs");
        if (!Files.exists(dir.resolve("bin/sh"))) {
            Path script = HOME.getParent().getParent().getParent().resolve("scripts/make-rootfs.sh");
            try {
                Process p = new ProcessBuilder("sh", script.toString(), dir.toString()).inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new AssertionError("make-rootfs.sh failed");
                }
            } catch (IOException e) {
                throw new AssertionError("cannot build the test rootfs: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        return dir;
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls until the condition holds or the time runs out. */
    public static boolean eventually(int millis, java.util.function.BooleanSupplier cond) {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (cond.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return cond.getAsBoolean();
    }
}
