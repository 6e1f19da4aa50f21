package berth.oci.conmon;

import berth.kernel.spi.runtime.RuntimeContainer;
import java.nio.file.Path;

/**
 * Where conmon's files of a container are. Those under the engine's tmp dir are where podman keeps
 * them, so either engine finds the other's; the rest live in the container's run directory.
 */
record ConmonPaths(Path engineTmpDir) {
    /** The exit and OOM files of one container (podman's TMPDIR/persist/ID). */
    Path persistDir(RuntimeContainer c) {
        return engineTmpDir.resolve("persist").resolve(c.id());
    }

    /** conmon's exit-dir: one file per container (podman's TMPDIR/exits). */
    Path exitsDir() {
        return engineTmpDir.resolve("exits");
    }

    Path socketDir() {
        return engineTmpDir.resolve("socket");
    }

    /** The runtime's own JSON log, where its error messages are. */
    static Path ociLog(RuntimeContainer c) {
        return c.runDir().resolve("oci-log");
    }

    static Path pidFile(RuntimeContainer c) {
        return c.runDir().resolve("pidfile");
    }

    static Path conmonPidFile(RuntimeContainer c) {
        return c.runDir().resolve("conmon.pid");
    }
}
