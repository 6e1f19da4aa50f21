package berth.network.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands on the host, for the kit's own checks. Failures to run are assertion errors naming the command. */
final class Host {
    private static final String PATH_DIRS = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Host() {
    }

    static CommandResult run(List<String> cmd, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            String path = pb.environment().getOrDefault("PATH", "");
            pb.environment().put("PATH", path.isEmpty() ? PATH_DIRS : path + ":" + PATH_DIRS);
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            return new CommandResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", cmd), e);
        }
    }

    static CommandResult run(String... cmd) {
        return run(List.of(cmd), 60);
    }

    static String ok(String... cmd) {
        CommandResult r = run(cmd);
        if (!r.ok()) {
            throw new AssertionError("command failed (exit " + r.exitCode() + "): " + String.join(" ", cmd) + "\n" + r.output());
        }
        return r.output();
    }

    /** An executable by absolute path, or by name in the usual system directories; null when absent. */
    static Path find(String tool) {
        if (tool.startsWith("/")) {
            Path p = Path.of(tool);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        for (String d : PATH_DIRS.split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean isRoot() {
        try {
            // the Uid line of /proc/self/status: real, effective, saved, fs
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return false;
    }

    /** PIDs of processes (other than this JVM) whose command line contains the text. */
    static List<String> processesMentioning(String text) {
        List<String> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (var ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                if (p.getFileName().toString().equals(Long.toString(self))) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(text)) {
                        out.add(p.getFileName() + " " + cmd.trim());
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e.getMessage(), e);
        }
        return out;
    }
}
