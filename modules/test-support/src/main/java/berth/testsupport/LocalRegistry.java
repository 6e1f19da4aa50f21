package berth.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Docker registry (Debian's {@code docker-registry}, distribution 2.x) on 127.0.0.1 with a
 * free port, plain HTTP, deletes enabled, and its storage in a temporary directory that is removed
 * on close. A missing binary is a failure, never a skip.
 */
public final class LocalRegistry implements AutoCloseable {
    public static final String BINARY = "/usr/bin/docker-registry";
    private static final long START_TIMEOUT_MS = 20_000;

    private final Path dir;
    private final boolean tls;
    private final int port;
    private final Process process;

    /** A plain-HTTP registry. */
    public LocalRegistry() {
        this(false);
    }

    /**
     * A registry serving HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost
     * (made with openssl), which clients trust only with TLS verification off.
     */
    public static LocalRegistry withSelfSignedTls() {
        return new LocalRegistry(true);
    }

    private LocalRegistry(boolean tls) {
        this.tls = tls;
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError("required tool missing: " + BINARY
                    + " (Debian package docker-registry; .ci/setup-host installs it)");
        }
        try {
            dir = Files.createTempDirectory("berth-registry-");
            Files.createDirectories(dir.resolve("storage"));
            if (tls) {
                selfSignedCertificate();
            }
        } catch (IOException e) {
            throw new AssertionError("cannot create the registry's temporary directory: " + e, e);
        }
        AssertionError last = null;
        int p = -1;
        Process proc = null;
        for (int tries = 0; tries < 3 && proc == null; tries++) {
            p = freeLoopbackPort();
            try {
                proc = start(p);
            } catch (AssertionError e) {
                last = e; // the port may have been taken between probe and bind: another one
            }
        }
        if (proc == null) {
            deleteTree(dir);
            throw last;
        }
        this.port = p;
        this.process = proc;
    }

    private Process start(int p) {
        Path config = dir.resolve("config-" + p + ".yml");
        Path log = dir.resolve("registry-" + p + ".log");
        String yaml = "version: 0.1\n"
                + "log:\n  level: info\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + p + "\n"
                + (tls ? "  tls:\n    certificate: " + dir.resolve("cert.pem") + "\n    key: " + dir.resolve("key.pem") + "\n" : "");
        Process proc;
        try {
            Files.writeString(config, yaml);
            proc = new ProcessBuilder(BINARY, "serve", config.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            proc.getOutputStream().close();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + BINARY + ": " + e, e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!proc.isAlive()) {
                throw new AssertionError(BINARY + " exited with " + proc.exitValue() + " on port " + p + ":\n" + tail(log));
            }
            if (Sys.canConnect("127.0.0.1", p)) {
                if (!tls) {
                    Sys.httpGet("127.0.0.1", p, "/v2/", 5_000); // 200 from the API root, or an AssertionError
                }
                return proc;
            }
            sleep(50);
        }
        proc.destroyForcibly();
        throw new AssertionError(BINARY + " did not answer on 127.0.0.1:" + p + " within " + START_TIMEOUT_MS + " ms:\n" + tail(log));
    }

    private void selfSignedCertificate() {
        String openssl = "/usr/bin/openssl";
        if (!Files.isExecutable(Path.of(openssl))) {
            throw new AssertionError("required tool missing: " + openssl + " (for the test registry's TLS certificate)");
        }
        Sys.ok(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
    }

    /** The self-signed certificate (PEM) of a TLS registry. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** {@code 127.0.0.1:PORT}, as references name the registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Where the registry keeps its blobs and repositories ({@code docker/registry/v2/...}). */
    public Path storage() {
        return dir.resolve("storage");
    }

    /** The registry's log, for a failure message. */
    public String log() {
        return tail(dir.resolve("registry-" + port + ".log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free port on 127.0.0.1: " + e, e);
        }
    }

    private static String tail(Path log) {
        try {
            String s = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is no test failure
        }
    }
}
