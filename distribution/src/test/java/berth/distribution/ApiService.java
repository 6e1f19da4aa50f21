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
 * {@code berth system service} on a socket in a temporary directory, for the Docker-client tests,
 * and the clients run against it ({@code docker}, {@code docker-compose}, curl) with
 * {@code DOCKER_HOST} pointing there. A client that hangs is killed (SIGKILL: the docker CLI forwards
 * SIGTERM to the container and keeps waiting).
 */
final class ApiService implements AutoCloseable {
    final Berth berth;
    final Path socket;
    private final Path log;
    private Process process;

    ApiService(Berth berth, Path dir) {
        this.berth = berth;
        this.socket = dir.resolve("berth.sock");
        this.log = dir.resolve("service.log");
    }

    String host() {
        return "unix://" + socket;
    }

    ApiService start() throws IOException {
        for (String tool : List.of("docker", "curl")) {
            requireOnPath(tool);
        }
        process = berth.start(log, "system", "service", "--time", "0", host());
        boolean up = Berth.eventually(60000, () -> Files.exists(socket) && Berth.read(log).contains("listening"));
        if (!up) {
            process.destroyForcibly();
            throw new AssertionError("the API service did not come up:\n" + Berth.read(log));
        }
        return this;
    }

    static void requireOnPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return;
            }
        }
        throw new AssertionError("required tool missing on PATH: " + tool + " (see scripts/setup-host.sh)");
    }

    /** SIGKILL, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        return Berth.read(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    Berth.Result docker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return client(120, Map.of(), cmd);
    }

    Berth.Result client(int seconds, Map<String, String> env, List<String> cmd) {
        return client(seconds, env, cmd, null);
    }

    Berth.Result client(int seconds, Map<String, String> env, List<String> cmd, Path workDir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("DOCKER_HOST", host());
            pb.environment().putAll(env);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Path out = Files.createTempFile("docker-out", ".txt");
            Path err = Files.createTempFile("docker-err", ".txt");
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + seconds + " s\nstdout: "
                        + Files.readString(out) + "\nstderr: " + Files.readString(err) + "\nservice: " + log());
            }
            Berth.Result r = new Berth.Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** A raw request with curl: the status line's code and the body. */
    Berth.Result curl(String method, String path, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--unix-socket",
                socket.toString(), "-X", method));
        cmd.addAll(List.of(extra));
        cmd.add("http://d" + path);
        Berth.Result r = client(60, Map.of(), cmd);
        String out = r.out();
        int nl = out.lastIndexOf('\n');
        return new Berth.Result(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, Math.max(nl, 0)), r.err());
    }
}
