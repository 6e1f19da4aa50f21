package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --runtime /path/to/binary}: which runtime plugin drives a binary given by path. podman takes
 * any path and runs it as its OCI runtime; berth needs the plugin that knows that runtime's
 * command-line dialect, so it asks the binary itself ({@code --version}: "crun version 1.8",
 * "runc version 1.1.4", "runsc version release-…"), falling back on the file's name.
 */
final class RuntimeBinaries {
    private RuntimeBinaries() {
    }

    /** Whether a {@code --runtime} value names a binary by path rather than a runtime by name. */
    static boolean isPath(String runtime) {
        return runtime != null && runtime.startsWith("/");
    }

    /** The id among {@code known} of the runtime that {@code binary} is. */
    static String identify(Path binary, List<String> known) {
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "invalid --runtime " + binary + ": no executable file at that path");
        }
        String fromVersion = fromVersion(binary, known);
        if (fromVersion != null) {
            return fromVersion;
        }
        String base = binary.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String k : known) {
            if (base.contains(k)) {
                return k;
            }
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --runtime " + binary
                + ": it is none of the OCI runtimes berth knows (" + String.join(", ", known) + ")");
    }

    private static String fromVersion(Path binary, List<String> known) {
        Subprocess.Result r;
        try {
            r = Subprocess.of(binary.toString(), "--version").timeoutMillis(10_000).mergeStderr().captureLimit(64 * 1024).run();
        } catch (BerthException e) {
            return null; // it would not run; the name may still tell
        }
        for (String line : r.stdout().lines().toList()) {
            String first = line.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (known.contains(first)) {
                return first;
            }
        }
        return null;
    }
}
