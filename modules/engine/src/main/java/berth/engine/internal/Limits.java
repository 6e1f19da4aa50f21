package berth.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rlimits a container gets: podman's defaults (nofile 1048576, nproc 4194304) capped at what
 * berth itself may grant, since a runtime cannot raise a hard limit above its own.
 */
final class Limits {
    private static final long NOFILE = 1_048_576L;
    private static final long NPROC = 4_194_304L;

    private Limits() {
    }

    static long nofile() {
        return Math.min(NOFILE, hardLimit("Max open files", NOFILE));
    }

    static long nproc() {
        return Math.min(NPROC, hardLimit("Max processes", NPROC));
    }

    private static long hardLimit(String name, long dflt) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back to podman's default
        }
        return dflt;
    }
}
