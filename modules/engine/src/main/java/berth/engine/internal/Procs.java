package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a helper command (unshare, umount) and fails with its own words. */
public final class Procs {
    private Procs() {
    }

    public static String run(ErrorCode code, String what, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new BerthException(code, what + ": " + String.join(" ", cmd) + " exited with " + rc + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new BerthException(code, what + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, what + ": interrupted");
        }
    }
}
