package berth.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test helpers shared by plugin test suites: commands, network namespaces, ports. Missing tools are
 * loud failures, never skips.
 */
public final class Sys {
    public static final String BUSYBOX = "/bin/busybox";

    private Sys() {
    }

    public record Result(int rc, String out) {
    }

    public static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static String ok(String... cmd) {
        Result r = run(cmd);
        if (r.rc() != 0) {
            fail("command failed (" + r.rc() + "): " + String.join(" ", cmd) + "\n" + r.out());
        }
        return r.out();
    }

    public static void requireTools(String... paths) {
        for (String p : paths) {
            assertTrue(Files.isExecutable(Path.of(p)), "required tool missing: " + p);
        }
        assertTrue(ProcessHandle.current().info().user().map(u -> u.equals("root")).orElse(false)
                || "0".equals(run("id", "-u").out().trim()), "these tests need root");
    }

    /** The PIDs of live processes whose environment holds this exact {@code NAME=value} entry. */
    public static List<Long> processesWithEnvironment(String entry) {
        byte[] want = entry.getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "environ"));
                int start = 0;
                for (int i = 0; i <= env.length; i++) {
                    if (i == env.length || env[i] == 0) {
                        if (i - start == want.length && java.util.Arrays.equals(env, start, i, want, 0, want.length)) {
                            found.add(h.pid());
                            return;
                        }
                        start = i + 1;
                    }
                }
            } catch (IOException e) {
                // gone, or a kernel thread: not one of ours
            }
        });
        return found;
    }

    public static String randomHex(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(16)));
        }
        return sb.toString();
    }

    /** A network namespace {@code berth-test-XYZ}, deleted on close. */
    public static final class Netns implements AutoCloseable {
        public final String name;
        public final Path path;
        private final List<Process> processes = new ArrayList<>();

        public Netns() {
            this.name = "berth-test-" + randomHex(8);
            ok("ip", "netns", "add", name);
            this.path = Path.of("/run/netns", name);
            ok("ip", "-n", name, "link", "set", "lo", "up"); // as the engine hands namespaces to network backends
        }

        public String exec(String... cmd) {
            return ok(prefixed(cmd));
        }

        public Result tryExec(String... cmd) {
            return run(prefixed(cmd));
        }

        public Process background(String... cmd) throws IOException {
            Process p = new ProcessBuilder(prefixed(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            return p;
        }

        private String[] prefixed(String... cmd) {
            String[] full = new String[cmd.length + 4];
            full[0] = "ip";
            full[1] = "netns";
            full[2] = "exec";
            full[3] = name;
            System.arraycopy(cmd, 0, full, 4, cmd.length);
            return full;
        }

        @Override
        public void close() {
            for (Process p : processes) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            run("ip", "netns", "del", name);
        }
    }

    /** A TCP port free on 127.0.0.1, preferring the given one. */
    public static int freePort(int preferred) {
        for (int p = preferred; p < preferred + 200; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("0.0.0.0", p));
            } catch (IOException e) {
                continue; // taken; try the next
            }
            if (!canConnect("127.0.0.1", p)) {
                return p;
            }
        }
        throw new AssertionError("no free port near " + preferred);
    }

    /** GET a path over plain HTTP/1.0 and return the body; retries until the server answers. */
    public static String httpGet(String host, int port, String path, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(3000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int body = resp.indexOf("\r\n\r\n");
                if (resp.startsWith("HTTP/1.") && resp.contains(" 200 ") && body >= 0) {
                    return resp.substring(body + 4);
                }
                last = new IOException("unexpected response: " + resp);
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no HTTP answer from " + host + ":" + port + path + ": " + last, last);
    }

    public static boolean canConnect(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
