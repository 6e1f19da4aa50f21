package berth.engine.internal;

import berth.support.FileLocks;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Seed 004's refresh: the run root is volatile, so a missing "alive" file there means the machine
 * rebooted (or the run root was wiped) since berth last ran. Every container's runtime state is then
 * stale: it is reset as libpod's resetState does (PIDs gone; anything but exited becomes
 * configured), once, under a lock, before any command looks at it.
 */
public final class StateRefresh {
    private final Path tmpDir;
    private final LockManager locks;

    public StateRefresh(Path tmpDir, LockManager locks) {
        this.tmpDir = tmpDir;
        this.locks = locks;
    }

    public void refreshIfRebooted(StateStore s) {
        Path alive = tmpDir.resolve("alive");
        if (Files.exists(alive)) {
            return;
        }
        try (FileLocks.Held ignored = locks.lock("alive.lock")) {
            if (Files.exists(alive)) {
                return;
            }
            for (Container c : s.allContainers()) {
                if (needsReset(c.state())) {
                    s.saveContainer(c.withState(reset(c.state())));
                }
            }
            Files.createDirectories(alive.getParent());
            Files.writeString(alive, Instant.now().toString());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot record that berth's state was refreshed in " + alive + ": " + e.getMessage(), e);
        }
    }

    static boolean needsReset(ContainerState st) {
        return st.pid() != 0 || st.conmonPid() != 0 || st.netNsPath() != null
                || st.status() != ContainerStatus.CONFIGURED && st.status() != ContainerStatus.EXITED;
    }

    static ContainerState reset(ContainerState st) {
        ContainerStatus next = st.status() == ContainerStatus.EXITED ? ContainerStatus.EXITED : ContainerStatus.CONFIGURED;
        // stoppedByUser is kept: an unless-stopped container the user stopped must not come back at boot
        return st.toBuilder().status(next).pid(0).conmonPid(0).netNsPath(null).networkStatus(Map.of()).clearExecSessions()
                .restartPolicyMatch(false).restartCount(0).build();
    }
}
