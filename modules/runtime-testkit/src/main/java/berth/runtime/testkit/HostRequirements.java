package berth.runtime.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the suite needs of the host. A missing piece fails the suite with its name: nothing is skipped silently. */
final class HostRequirements {
    private HostRequirements() {
    }

    static void requireRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String uid = line.substring(4).strip().split("\\s+")[0];
                    if (!uid.equals("0")) {
                        fail("the runtime conformance suite creates containers and needs root; running as uid " + uid);
                    }
                    return;
                }
            }
        } catch (IOException e) {
            fail("cannot read /proc/self/status to check for root: " + e.getMessage());
        }
        fail("no Uid line in /proc/self/status");
    }

    static void requireExecutable(Path file, String hint) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            fail("the runtime conformance suite needs " + file + " (" + hint + ")");
        }
    }

    static void requireOnPath(String command, String hint) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        fail("the runtime conformance suite needs " + command + " on the PATH (" + hint + ")");
    }
}
