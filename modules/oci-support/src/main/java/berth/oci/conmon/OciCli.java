package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.oci.natives.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the runtime binary's own subcommands (start, kill, delete, pause, resume, state).
 *
 * <p>Not through {@code berth.support.Subprocess}, on purpose: {@code berth run} runs {@code crun
 * start} and {@code crun delete} here every time, and by the time it does JNA is loaded (conmon is
 * spawned through {@link Posix#spawn}), so {@link Posix#runCaptured} (posix_spawn, one merged pipe
 * read on this thread, waitpid) is the cheaper path. Measured with crun 1.x on this 2-core build
 * host, JNA already initialised, 300 {@code crun --version} runs per JVM: posix_spawn 5.8 ms a run,
 * Subprocess 6.7 to 8.5 ms (ProcessBuilder's jspawnhelper plus the two pump threads); the first run
 * of a JVM, 10 to 18 ms either way. runCaptured is not a second Subprocess: no threads, no stdin, no
 * timeout, stdout and stderr merged, which is all a runtime subcommand needs. Where JNA is not yet
 * loaded (a bare {@code conmon --version} probe in a fresh JVM) Subprocess would be faster, but the
 * probe's verdict is cached (see {@link ConmonProbe}).
 */
final class OciCli {
    private static final Map<String, String> ENV = env();

    private final Path binary;
    private final List<String> prefix;

    OciCli(Path binary, List<String> globalArgs) {
        this.binary = binary;
        this.prefix = List.copyOf(globalArgs);
    }

    private static Map<String, String> env() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null) {
            e.put("XDG_RUNTIME_DIR", xdg);
        }
        e.put("HOME", System.getenv().getOrDefault("HOME", "/root"));
        return e;
    }

    /** Exit code and output (stdout and stderr together) of one runtime command. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    Result run(String... args) {
        List<String> cmd = new ArrayList<>(prefix.size() + args.length + 1);
        cmd.add(binary.toString());
        cmd.addAll(prefix);
        cmd.addAll(List.of(args));
        try {
            Posix.Captured c = Posix.runCaptured(cmd, ENV);
            return new Result(c.exitCode(), c.output(), c.output());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.RUNTIME_MISSING, "cannot run " + binary + ": " + e.getMessage(), e);
        }
    }

    /** Runs and fails with a message naming the container and the runtime's own words. */
    Result check(String what, String containerId, String... args) {
        Result r = run(args);
        if (r.exitCode != 0) {
            throw new BerthException(ErrorCode.RUNTIME_ERROR, String.format("%s container %s with %s failed: %s",
                    what, containerId, binary.getFileName(), clean(r.stderr)));
        }
        return r;
    }

    static String clean(String s) {
        String t = s.strip();
        // runc/crun JSON log lines: keep the msg text
        if (t.startsWith("{") && t.contains("\"msg\"")) {
            int i = t.lastIndexOf("\"msg\":\"");
            if (i >= 0) {
                int j = t.indexOf('"', i + 7);
                if (j > i) {
                    return t.substring(i + 7, j);
                }
            }
        }
        return t.isEmpty() ? "no error output" : t;
    }
}
