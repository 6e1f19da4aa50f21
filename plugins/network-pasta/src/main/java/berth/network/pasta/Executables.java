package berth.network.pasta;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where the helper binaries are: pasta as podman finds it, and the system tools that read the namespace. */
final class Executables {
    /** podman's default helper_binaries_dir, searched after PATH as podman does. */
    static final List<String> PODMAN_HELPER_DIRS = List.of("/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman",
            "/usr/lib/podman");
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Executables() {
    }

    /**
     * pasta: the environment option {@code pasta_path} when set (and then only there), else PATH, then
     * podman's helper directories.
     */
    static Path pasta(Map<String, String> options) {
        String configured = options.get("pasta_path");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.strip());
            if (isExecutable(p)) {
                return p;
            }
            throw new BerthException(ErrorCode.NETWORK_ERROR, "could not find pasta, the network namespace can't be configured: "
                    + configured + " (pasta_path in containers.conf [network]) does not exist or is not executable");
        }
        List<String> dirs = new ArrayList<>(pathDirs());
        dirs.addAll(PODMAN_HELPER_DIRS);
        Path p = first("pasta", dirs);
        if (p == null) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "could not find pasta, the network namespace can't be configured:"
                    + " \"pasta\" not found in $PATH (" + System.getenv().getOrDefault("PATH", "") + ") nor in "
                    + String.join(", ", PODMAN_HELPER_DIRS) + "; install passt (it provides pasta) or set pasta_path in containers.conf [network]");
        }
        return p;
    }

    /** A system tool (ip, nsenter): PATH, then the usual system directories. */
    static Path system(String name, String packageName) {
        List<String> dirs = new ArrayList<>(pathDirs());
        dirs.addAll(SYSTEM_DIRS);
        Path p = first(name, dirs);
        if (p == null) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, name + " not found in $PATH nor in " + String.join(", ", SYSTEM_DIRS)
                    + "; install " + packageName + " (the pasta backend reads the container's addresses with it)");
        }
        return p;
    }

    private static List<String> pathDirs() {
        List<String> out = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty()) {
                out.add(d);
            }
        }
        return out;
    }

    private static Path first(String name, List<String> dirs) {
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean isExecutable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
