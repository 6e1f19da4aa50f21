package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.Subprocess;
import java.util.List;

/** Runs a helper command (unshare, umount) and fails with its own words, prefixed with what berth was doing. */
public final class Procs {
    private static final long TIMEOUT_MILLIS = 30_000;

    private Procs() {
    }

    public static String run(ErrorCode code, String what, List<String> cmd) {
        try {
            return Subprocess.of(cmd).mergeStderr().timeoutMillis(TIMEOUT_MILLIS).check(code).stdout();
        } catch (BerthException e) {
            throw new BerthException(e.code(), what + ": " + e.getMessage(), e);
        }
    }
}
