package berth.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Go side of the bbolt interoperability tests (bolt-support and state-bolt): the checker built from
 * Debian's bbolt sources, and running it. A missing tool fails the test with what to install.
 */
public final class GoBolt {
    private static Path boltcheck;

    private GoBolt() {
    }

    public static Path moduleDir() {
        return Path.of(System.getProperty("berth.bolt.moduleDir", ".")).toAbsolutePath();
    }

    public static Path buildDir() {
        return Path.of(System.getProperty("berth.bolt.buildDir", moduleDir().resolve("target").toString())).toAbsolutePath();
    }

    /** The output of a finished process. */
    public record Result(int exitCode, List<String> stdout, String stderr) {
        public List<String> lines(String prefix) {
            List<String> out = new ArrayList<>();
            for (String l : stdout) {
                if (l.startsWith(prefix)) {
                    out.add(l);
                }
            }
            return out;
        }

        /** The Go checker's bucket and key lines. */
        public List<String> dump() {
            List<String> out = new ArrayList<>();
            for (String l : stdout) {
                if (l.startsWith("B ") || l.startsWith("K ")) {
                    out.add(l);
                }
            }
            return out;
        }

        /** The Go checker's errors (from tx.Check() and its own key-order check). */
        public List<String> errors() {
            return lines("E ");
        }

        /** One figure of the Go checker's statistics line, e.g. "branch". */
        public long stat(String name) {
            for (String l : stdout) {
                if (l.startsWith("S ")) {
                    for (String f : l.substring(2).split(" ")) {
                        if (f.startsWith(name + "=")) {
                            return Long.parseLong(f.substring(name.length() + 1));
                        }
                    }
                }
            }
            throw new AssertionError("no statistic " + name + " in " + stdout);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + String.join("\n", stdout.subList(0, Math.min(40, stdout.size())))
                    + "\nstderr: " + stderr;
        }
    }

    public static Result run(List<String> cmd, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        return run(cmd, env, timeoutSeconds, null);
    }

    public static Result run(List<String> cmd, Map<String, String> env, long timeoutSeconds, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        Path out = Files.createTempFile("berth-bolt-out", ".txt");
        Path err = Files.createTempFile("berth-bolt-err", ".txt");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                fail("timed out after " + timeoutSeconds + "s: " + String.join(" ", cmd) + "\nstderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The path of an executable on PATH (or in the usual sbin directories), or null. */
    public static Path which(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/lib/go/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The Go bbolt checker (src/test/go/boltcheck), built once per build directory with Debian's Go
     * toolchain and bbolt sources: {@code GO111MODULE=off GOPATH=/usr/share/gocode go build}.
     */
    public static synchronized Path boltcheck() throws Exception {
        if (boltcheck != null) {
            return boltcheck;
        }
        Path go = which("go");
        Path bboltSrc = Path.of("/usr/share/gocode/src/go.etcd.io/bbolt");
        if (go == null || !Files.isDirectory(bboltSrc)) {
            fail("the bbolt interoperability tests need Go and bbolt's sources: install the Debian packages "
                    + "golang-go and golang-github-coreos-bbolt-dev (apt-get install -y golang-go golang-github-coreos-bbolt-dev); "
                    + (go == null ? "no `go` on PATH" : "missing " + bboltSrc));
        }
        Path src = Path.of(System.getProperty("berth.bolt.checkerSrc", moduleDir().resolve("src/test/go/boltcheck").toString()));
        Path bin = buildDir().resolve("boltcheck/boltcheck");
        Files.createDirectories(bin.getParent());
        Result r = run(List.of(go.toString(), "build", "-o", bin.toString(), "."), Map.of(
                "GO111MODULE", "off",
                "GOPATH", "/usr/share/gocode",
                "GOCACHE", buildDir().resolve("boltcheck/go-cache").toString(),
                "HOME", buildDir().resolve("boltcheck").toString()), 600, src);
        if (r.exitCode() != 0) {
            fail("building the Go bbolt checker failed: " + r);
        }
        boltcheck = bin;
        return bin;
    }

    /** Runs the Go checker. */
    public static Result boltcheck(String... args) throws Exception {
        Path bin = boltcheck();
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(List.of(args));
        return run(cmd, Map.of(), 300);
    }

    public static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
    }
}
