package berth.kernel.spi.lock;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a lock manager is opened with.
 *
 * @param tmpDir the engine's tmp dir (podman's file locks live in TMPDIR/locks)
 * @param engineOptions the {@code [engine]} table ({@code num_locks}, ...)
 * @param warnings where to report what does not stop the command
 */
public record LockEnvironment(Path tmpDir, Map<String, List<String>> engineOptions, Consumer<String> warnings) {
    public LockEnvironment {
        engineOptions = Map.copyOf(engineOptions);
    }

    /** {@code [engine] num_locks}, podman's default 2048 when unset. */
    public int numLocks() {
        List<String> v = engineOptions.get("num_locks");
        if (v == null || v.isEmpty()) {
            return 2048;
        }
        try {
            int n = Integer.parseInt(v.get(0).strip());
            if (n <= 0) {
                throw new NumberFormatException("not positive");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.CONFIG_INVALID,
                    "[engine] num_locks must be a positive number, not \"" + v.get(0) + "\"");
        }
    }
}
