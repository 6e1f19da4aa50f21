package berth.engine.internal;

import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Network namespaces owned by berth: made with unshare(1) and bind-mounted on a file under the run
 * root (RUNROOT/netns/berth-ID), loopback up; removed by unmounting and deleting the file.
 * Removal tolerates a half-made namespace (no file, file without mount).
 */
public final class NetNs {
    private NetNs() {
    }

    public static Path pathFor(Path runRoot, String id) {
        return runRoot.resolve("netns").resolve("berth-" + id.substring(0, Math.min(12, id.length())));
    }

    public static Path create(Path runRoot, String id) {
        Path p = pathFor(runRoot, id);
        try {
            Files.createDirectories(p.getParent());
            if (!Files.exists(p)) {
                Files.createFile(p);
            }
        } catch (IOException e) {
            throw new berth.kernel.error.BerthException(ErrorCode.NETWORK_ERROR, "cannot create network namespace file " + p + ": " + e.getMessage(), e);
        }
        if (!isMounted(p)) {
            Procs.run(ErrorCode.NETWORK_ERROR, "creating network namespace for container " + id,
                    List.of("unshare", "--net=" + p, "ip", "link", "set", "lo", "up"));
        }
        return p;
    }

    public static void remove(Path p) {
        if (p == null) {
            return;
        }
        if (isMounted(p)) {
            Procs.run(ErrorCode.NETWORK_ERROR, "removing network namespace " + p, List.of("umount", "-l", p.toString()));
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // an empty file left behind is harmless and reused
        }
    }

    static boolean isMounted(Path p) {
        try {
            String target = " " + p.toAbsolutePath() + " ";
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                if (line.contains(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
