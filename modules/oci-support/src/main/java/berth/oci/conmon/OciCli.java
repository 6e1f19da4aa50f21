package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the runtime binary's own subcommands (start, kill, delete, pause, resume, state). */
final class OciCli {
    private final Path binary;
    private final List<String> prefix;

    OciCli(Path binary, List<String> globalArgs) {
        this.binary = binary;
        this.prefix = List.copyOf(globalArgs);
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    Result run(String... args) {
        List<String> cmd = new ArrayList<>(prefix.size() + args.length + 1);
        cmd.add(binary.toString());
        cmd.addAll(prefix);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out;
            String err;
            try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
                err = new String(e.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Result(p.waitFor(), out, err);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.RUNTIME_MISSING, "cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted running " + binary);
        }
    }

    /** Runs and fails with a message naming the container and the runtime's own words. */
    Result check(String what, String containerId, String... args) {
        Result r = run(args);
        if (r.exitCode != 0) {
            throw new BerthException(ErrorCode.RUNTIME_ERROR, String.format("%s container %s with %s failed: %s",
                    what, containerId, binary.getFileName(), clean(r.stderr.isBlank() ? r.stdout : r.stderr)));
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
