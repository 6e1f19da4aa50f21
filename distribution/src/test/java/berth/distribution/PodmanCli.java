package berth.distribution;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * podman 4.3.1 for the interoperability tests, and berth pointed at podman's host the documented
 * way ({@code --config share/podman-host.conf}). A missing podman fails the test naming the package.
 */
final class PodmanCli {
    static final Path PODMAN = Path.of("/usr/bin/podman");

    /** What one command did. */
    record Result(int exitCode, String out, String err, List<String> cmd) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed with exit code " + exitCode + "\nstdout: " + out
                        + "\nstderr: " + err);
            }
            return this;
        }

        String line() {
            return out.strip();
        }

        @Override
        public String toString() {
            return String.join(" ", cmd) + " -> " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private final List<String> global;
    private final Map<String, String> env;

    private PodmanCli(List<String> global, Map<String, String> env) {
        this.global = global;
        this.env = env;
    }

    /**
     * podman with its own default paths for root. Only containers.conf is replaced: podman 4.3.1 on
     * this kernel needs explicit ulimits (shared/seeds/README.md); the file sets no path.
     */
    static PodmanCli defaultPaths(Path tmp) throws IOException {
        if (!Files.isExecutable(PODMAN)) {
            throw new AssertionError("the podman interoperability tests need podman 4.3.1: apt-get install -y podman");
        }
        Path conf = tmp.resolve("podman-containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");
        return new PodmanCli(List.of(), Map.of("CONTAINERS_CONF", conf.toString()));
    }

    /**
     * podman at temporary roots shared with berth ({@code --root DIR/root --runroot RUN --tmpdir
     * DIR/tmp}), file locks under the tmp dir (the system's SHM locks stay podman's own), vfs, crun.
     */
    static PodmanCli tempRoots(Path dir, Path runRoot) throws IOException {
        return tempRoots(dir, runRoot, false);
    }

    /** With {@code shmLocks}, podman keeps its default lock type: the system's SHM segment. */
    static PodmanCli tempRoots(Path dir, Path runRoot, boolean shmLocks) throws IOException {
        PodmanCli p = defaultPaths(dir);
        Path conf = dir.resolve("podman-containers.conf");
        if (!shmLocks) {
            Files.writeString(conf, Files.readString(conf) + "[engine]\nlock_type = \"file\"\n");
        }
        return new PodmanCli(List.of("--root", dir.resolve("root").toString(), "--runroot", runRoot.toString(),
                "--tmpdir", dir.resolve("tmp").toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file", "--runtime", "crun"), p.env);
    }

    Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PODMAN.toString());
        cmd.addAll(global);
        cmd.addAll(List.of(args));
        return exec(cmd, env, 180);
    }

    /** berth at podman's paths: {@code berth --config HOME/share/podman-host.conf ARGS}. */
    static Result berthOnPodmanHost(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Berth.BIN.toString(), "--config", Berth.HOME.resolve("share/podman-host.conf").toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of(), 180);
    }

    static Result exec(List<String> cmd, Map<String, String> env, int seconds) {
        return exec(cmd, env, seconds, null);
    }

    static Result exec(List<String> cmd, Map<String, String> env, int seconds, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().putAll(env);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Path out = Files.createTempFile("podman-out", ".txt");
            Path err = Files.createTempFile("podman-err", ".txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + seconds + " s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err), cmd);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
